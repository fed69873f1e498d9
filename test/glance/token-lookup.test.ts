import { describe, expect, it } from 'vitest';
import { tokenLookup } from '../../src/providers/glance/auth.js';
import type { GlanceData, TokenRecord } from '../../src/providers/glance/model/catalog.js';

const token = (value: string): TokenRecord => ({
  token: value,
  project_id: 'p',
  project_name: 'p',
  user_id: 'u',
  user_name: 'u',
  roles: [],
  expires_at: '2099-01-01T00:00:00.000000Z',
});
const glanceData = (tokens: TokenRecord[]) => ({ images: [], members: [], users: [], tokens }) as GlanceData;

describe('the Glance token index', () => {
  it('takes in logins as they are appended, and follows removals and a swapped collection', () => {
    const data = glanceData([token('a'), token('b')]);
    const lookup = tokenLookup(() => data);
    expect(lookup('a')?.token).toBe('a');
    expect(lookup('c')).toBeUndefined();

    data.tokens.push(token('c'), token('d'));
    expect(lookup('c')?.token).toBe('c');
    expect(lookup('d')?.token).toBe('d');

    // removed (admin API): gone from the index
    data.tokens.splice(0, 1);
    expect(lookup('a')).toBeUndefined();
    expect(lookup('b')?.token).toBe('b');

    // one removed and one appended: same length, another last token
    data.tokens.splice(1, 1);
    data.tokens.push(token('e'));
    expect(lookup('c')).toBeUndefined();
    expect(lookup('e')?.token).toBe('e');

    // the collection swapped whole (reset, snapshot restore)
    data.tokens = [token('f')];
    expect(lookup('b')).toBeUndefined();
    expect(lookup('f')?.token).toBe('f');
  });
});
