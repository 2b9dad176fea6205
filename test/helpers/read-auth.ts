// The read token (`auth`, docs/protocol.md §2) of a stored secret's link, as every client derives
// it: for tests that call the API directly with a link the CLI or a page made.
import { parseSecretLink } from '../../src/protocol/links.js';
import { readAuth } from '../../src/protocol/secret.js';

export async function deriveReadAuth(link: string): Promise<string> {
  return readAuth(parseSecretLink(link).key);
}
