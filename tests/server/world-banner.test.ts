import { describe, expect, it } from 'vitest';
import { someEmails } from '../../mock-server/world-file/cli';

describe("the start-up banner's users", () => {
  it('names a few to sign in as, and counts the rest of a large world', () => {
    const emails = Array.from({ length: 100_000 }, (_, i) => `user${i}@example.com`);
    expect(someEmails(emails)).toBe(
      'user0@example.com, user1@example.com, user2@example.com, user3@example.com, user4@example.com, ' +
        'user5@example.com, user6@example.com, user7@example.com and 99992 more',
    );
  });

  it('names all of a small world, and says none for none', () => {
    expect(someEmails(['ada@example.com', 'ben@example.com'])).toBe('ada@example.com, ben@example.com');
    expect(someEmails([])).toBe('none');
  });
});
