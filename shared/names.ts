/**
 * Names compared as people read them (issue 16, R24 in docs/rules.md): two names that look
 * the same on screen are the same name. Used for group names among siblings, role names in
 * one place, usernames, emails, and the group paths of a device import.
 */

/**
 * Characters that show nothing (zero-width spaces and joiners, soft hyphens, bidirectional
 * controls, variation selectors, fillers) and control characters. A name holding one would
 * look like another name while comparing unequal, so names refuse them. Besides Unicode's
 * default-ignorable set: the blank symbols that are drawn as nothing though they are not
 * ignorable (U+2800 Braille pattern blank, U+1D159 musical null notehead, U+16FE4 Khitan filler),
 * the usual way to make a name that looks empty or like another.
 */
// U+16FE4 is a combining mark: outside the class, so that it is matched alone, not joined to the one before.
const INVISIBLE = /[\p{Default_Ignorable_Code_Point}\p{Cc}\p{Cf}\u2028\u2029\u2800\u{1D159}]|\u{16FE4}/u;

/** Case folding beyond `toLowerCase`: the full foldings of Unicode's CaseFolding.txt that people meet in names. */
const FULL_FOLDINGS: Readonly<Record<string, string>> = { ß: 'ss', ς: 'σ', ſ: 's', ﬅ: 'st', ﬆ: 'st' };
const FOLD_PATTERN = new RegExp(`[${Object.keys(FULL_FOLDINGS).join('')}]`, 'gu');

/**
 * The first invisible character in `text`, as "U+200B at position 5" (positions count
 * characters from 1), or null when there is none.
 */
export function invisibleCharacter(text: string): string | null {
  const match = INVISIBLE.exec(text);
  if (!match) return null;
  const codePoint = match[0].codePointAt(0) ?? 0;
  const position = [...text.slice(0, match.index)].length + 1;
  return `U+${codePoint.toString(16).toUpperCase().padStart(4, '0')} at position ${position}`;
}

/**
 * The key two names are compared by: Unicode NFKC (so "Ä" typed as A + combining diaeresis,
 * full-width letters and ligatures read as their plain forms), then case folded
 * ("Ärzte" and "ärzte", "Straße" and "STRASSE" are one name), with runs of white space made
 * one space and the ends trimmed. Close to Unicode's NFKC_Casefold; invisible characters are
 * refused at the boundary (`invisibleCharacter`), not folded away.
 */
export function nameKey(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(FOLD_PATTERN, (c) => FULL_FOLDINGS[c] ?? c)
    .normalize('NFKC')
    .replace(/\s+/gu, ' ')
    .trim();
}

/** Whether two names read the same (`nameKey` equal). */
export function sameName(a: string, b: string): boolean {
  return nameKey(a) === nameKey(b);
}
