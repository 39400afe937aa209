/**
 * How long a piece of a secret may not appear anywhere it is shown: eight characters, the fragment the secrets tests
 * look for in every output. A server that echoes a key cut in two (half in each of two names) is caught by its pieces,
 * where a check for the whole key is not.
 */
export const SECRET_PIECE_LENGTH = 8;

/**
 * Whether `text` holds any piece of `secret` of `SECRET_PIECE_LENGTH` characters, in any case: linear in the text, with
 * a set of the secret's pieces.
 */
export function holdsPieceOf(text: string, secret: string): boolean {
  if (secret.length < SECRET_PIECE_LENGTH || text.length < SECRET_PIECE_LENGTH) return false;
  const pieces = new Set<string>();
  const lowerSecret = secret.toLowerCase();
  for (let at = 0; at + SECRET_PIECE_LENGTH <= lowerSecret.length; at++) {
    pieces.add(lowerSecret.slice(at, at + SECRET_PIECE_LENGTH));
  }
  const lowerText = text.toLowerCase();
  for (let at = 0; at + SECRET_PIECE_LENGTH <= lowerText.length; at++) {
    if (pieces.has(lowerText.slice(at, at + SECRET_PIECE_LENGTH))) return true;
  }
  return false;
}
