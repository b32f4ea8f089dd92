/**
 * `GET /dev/mailbox[?to=<email>]` on the login host: the messages the mock world has "sent", newest first.
 * A development tool (no sign-in), like MailHog; the verification links in it are what a user would click.
 */

import type { HttpBindings } from '@hono/node-server';
import { Hono } from 'hono';
import { MAX_EMAIL_LENGTH } from '../../contract/email';
import { UserStore } from '../accounts/users';
import { html, PAGE_HEADERS, page } from '../html';
import type { Db } from '../storage/database';
import { timeElement } from '../time-format';
import { listMail } from './mailbox';

export const MAILBOX_PATH = '/dev/mailbox';

export function mailboxRoutes(db: Db): Hono<{ Bindings: HttpBindings }> {
  const app = new Hono<{ Bindings: HttpBindings }>();
  const users = new UserStore(db);
  /** A message's time in its recipient's Console timezone (UTC for addresses that are no Twilio user). */
  const zoneOf = (email: string) => users.findByEmail(email)?.timezone ?? 'UTC';
  app.get(MAILBOX_PATH, (c) => {
    const to = (c.req.query('to') ?? '').slice(0, MAX_EMAIL_LENGTH).trim();
    const messages = listMail(db, to ? { to } : {});
    const items = messages.map(
      (message) => html`<li class="card" style="margin-bottom:1rem" data-kind="${message.kind}">
  <h2 style="margin:0;font-size:1.05rem">${message.subject}</h2>
  <p class="muted" style="margin:.25rem 0">To ${message.to} · ${timeElement(message.sentAt, zoneOf(message.to))}</p>
  <p style="white-space:pre-wrap">${message.body}</p>
  ${message.link ? html`<p><a href="${message.link}">${message.link}</a></p>` : ''}
</li>`,
    );
    return c.body(
      page({
        title: 'Dev mailbox · Twilio',
        wide: true,
        body: html`<h1>Dev mailbox</h1>
<p class="muted">Messages the mock world has sent, newest first. Nothing leaves this machine.</p>
<form method="get" action="${MAILBOX_PATH}" role="search">
  <label for="to">Recipient</label>
  <input id="to" name="to" type="email" maxlength="254" value="${to}">
  <button type="submit" class="secondary">Show messages</button>
</form>
<h2 style="font-size:1.1rem">${messages.length === 0 ? 'No messages' : `${messages.length} message${messages.length === 1 ? '' : 's'}`}${to ? ` to ${to}` : ''}</h2>
<ol style="list-style:none;padding:0" aria-label="Messages">${items}</ol>`,
      }),
      200,
      PAGE_HEADERS,
    );
  });
  return app;
}
