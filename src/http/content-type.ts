/**
 * Whether a body of this media type is text a person can read (JSON, XML,
 * forms, multipart forms such as a login, scripts, any text/…). No media
 * type at all counts as text: the body is shown as text when its bytes
 * decode, as binary otherwise.
 */
export function isTextualType(contentType: string | undefined): boolean {
  return !contentType || /json|text\/|xml|javascript|urlencoded|multipart\/form-data/i.test(contentType);
}
