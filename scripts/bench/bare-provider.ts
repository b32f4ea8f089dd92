/**
 * The bench's baseline: a bare oidc-provider with one client and default settings, on its own port, so the
 * discovery throughput of our server can be compared with the library's own in the same run.
 */
import { createServer } from 'node:http';
import Provider from 'oidc-provider';

const port = Number(process.argv[2]);
const provider = new Provider(`http://login.twilio.localhost:${port}`, {
  clients: [{ client_id: 'bare', client_secret: 'bare-secret', redirect_uris: ['http://example.localhost/cb'] }],
});
createServer(provider.callback()).listen(port, '127.0.0.1', () => console.log('ready'));
