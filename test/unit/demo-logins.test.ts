import { describe, expect, it } from 'vitest';
import { asciiLogin } from '../../main/demo/fleet';
import { username } from '../../shared/contract/fields';

/** Issue 16: demo usernames keep every letter of a person's name, transliterated where it is not ASCII. */
describe('demo logins', () => {
  it.each([
    ['Chloe.Müller.295', 'chloe.mueller.295'],
    ['Chloé.Dubois.3', 'chloe.dubois.3'],
    ['Jürgen.Groß.owner7', 'juergen.gross.owner7'],
    ['Søren.Łukasz.1', 'soeren.lukasz.1'],
    ['Ana.Núñez.12', 'ana.nunez.12'],
  ])('%s → %s, a valid username', (name, login) => {
    expect(asciiLogin(name)).toBe(login);
    expect(username.safeParse(login).success).toBe(true);
  });
});
