/** A product's homes: a page per workspace (Segment) or account (SendGrid); `/` goes to the latest visited. */

import { Hono } from 'hono';
import { PRODUCT_LOGIN_PATH } from '../../../contract/api';
import { homePath } from '../../../contract/product-pages';
import { RequestError } from '../../errors';
import { html, page } from '../../html';
import { seeOther } from '../../responses';
import type { ProductSiteKit } from './kit';
import type { ProductSiteEnv } from './spec';

export function homeRoutes(kit: ProductSiteKit): Hono<ProductSiteEnv> {
  const { spec, product, offers } = kit;
  const app = new Hono<ProductSiteEnv>();

  app.get('/', (c) => {
    const current = kit.signedIn(c);
    if (!current) return seeOther(c, PRODUCT_LOGIN_PATH);
    const first = spec.homesOf(current.user.id)[0];
    if (first) return seeOther(c, homePath(spec, first.id));
    return kit.respond(
      c,
      page({
        title: product.name,
        wide: true,
        header: kit.nav(current.user, current.session),
        body: html`<h1>No ${spec.homeNoun} yet</h1><p>You are not a member of any ${spec.homeNoun}.</p>`,
      }),
    );
  });

  app.get(`/${spec.homeNoun}s/:id`, (c) => {
    const current = kit.signedIn(c);
    if (!current) return seeOther(c, `${PRODUCT_LOGIN_PATH}?${new URLSearchParams({ next: c.req.path })}`);
    const homes = spec.homesOf(current.user.id);
    const home = homes.find((candidate) => candidate.id === c.req.param('id'));
    if (!home) throw new RequestError('not_found', `You are not a member of this ${spec.homeNoun}.`);
    spec.markVisited(current.user.id, home.id);
    return kit.respond(
      c,
      page({
        title: `${home.name} · ${product.name}`,
        wide: true,
        header: kit.nav(current.user, current.session),
        body: html`${offers.render(current.user, current.session, c.req.path)}${spec.renderHome({
          user: current.user,
          home,
          homes,
        })}`,
      }),
    );
  });

  return app;
}
