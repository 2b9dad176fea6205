// The coarse class of the client behind a request, for a secret's evidence (docs/protocol.md §9):
// browser, link-preview, scanner, cli, api or unknown. Only the class is kept: nothing here
// stores, logs or returns the user agent, an address or any other header.
//
// The class is a best guess from what a request says about itself. Any client can claim to be any
// other, so it is evidence for the sender ("only a mail scanner opened the link so far"), never a
// security decision: nothing is allowed or refused by class.
//
// Rules, first match wins (test/client-class.test.ts holds real user agents for each):
//
//  1. `x-hush-automation: 1` → scanner. The reveal page's script sends it when
//     `navigator.webdriver` is true: the page itself saw that a program drives the browser.
//  2. Automation in the user agent or in Sec-CH-UA (HeadlessChrome, PhantomJS, Puppeteer,
//     Playwright, Selenium, jsdom, Lighthouse, …) → scanner.
//  3. A known mail or URL scanner, security crawler or monitor by name (Proofpoint, Mimecast,
//     Barracuda, Kaspersky's link resolver, Google-Safety, urlscan, …) → scanner.
//  4. A known unfurler or crawler by name (Slackbot, Twitterbot, facebookexternalhit, Discordbot,
//     TelegramBot, WhatsApp — also what Signal's previews send —, LinkedInBot, SkypeUriPreview and
//     MicrosoftPreview for Teams, Googlebot, bingbot, Mastodon, Bluesky's Cardyb, …) → link-preview.
//  5. HEAD, or a prefetch (`Sec-Purpose`/`Purpose: prefetch…`, `X-Moz: prefetch`, Safari's
//     `X-Purpose: preview`) → link-preview.
//  6. `hush-cli/…` → cli; `hush-lib/…` (the library) → api.
//  7. A generic HTTP library or tool (curl, wget, python-requests, Go-http-client, Java/, okhttp,
//     node's fetch, axios, …): on the reveal page → scanner (nobody reads a secret with curl on
//     the page: the page only asks for a button press); on the API → api.
//  8. A user agent that names a URL (how crawlers point to their operator: "+https://…") → link-preview.
//  9. A browser's user agent (Mozilla/5.0 (…) AppleWebKit/ or Gecko/):
//     - page: `Sec-Fetch-Mode: navigate` → browser; another Sec-Fetch-Mode → unknown (a browser,
//       but not navigating to the page); no Sec-Fetch-Mode (browsers before 2023) → browser when
//       it sends `Accept` with text/html and an `Accept-Language`, as every browser does on a
//       navigation, else scanner (a script wearing a browser's name);
//     - API: browser when it sends `Sec-Fetch-Site` (every browser since 2023 does, on every
//       request; libraries do not), else unknown.
// 10. Anything else (another name, or none): page → unknown when it sends a navigation's headers,
//     else scanner; API → api.
//
// Precedence: who the client is (rules 1–4) beats what it does (5): a HeadlessChrome prefetch is
// a scanner — automation touched the link, which is what the sender needs to know — and a
// WhatsApp HEAD is a link preview either way. Scanner names come before unfurler names, so a
// security crawler that also calls itself a bot counts as a scanner. Our own clients (6) come
// after those, so a preview or prefetch claiming to be the CLI is still a preview.
//
// Cost: every request runs this, so it is a handful of precompiled, anchored or literal-only
// regular expressions (linear, no backtracking blow-up) over at most the first 512 characters of
// the user agent and 256 of other headers; nothing is allocated but the user agent in lower case
// and the joined value of a repeated header (Node gives arrays only for those).

import { AUTOMATION_HEADER } from '../protocol/api.js';
import type { ClientClass } from '../store/types.js';

/**
 * AUTOMATION_HEADER (in src/protocol, where the page takes it from too) is what the reveal page's
 * script adds to its peek and consume when `navigator.webdriver` is true, with this value.
 */
export { AUTOMATION_HEADER };
export const AUTOMATION_VALUE = '1';

export interface ClientRequest {
  /** The HTTP method, as Node gives it (upper case); compared without regard to case. */
  readonly method: string;
  /** The request's headers with lower-case names, as Node and Fastify give them. */
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  /** `page`: a GET or HEAD of the reveal page (/s/{id}); `api`: peek, consume, create, revoke. */
  readonly kind: 'page' | 'api';
}

/** Longest part of a user agent looked at: real ones are a few hundred characters at most. */
export const MAX_USER_AGENT = 512;
/** Longest part of any other header looked at (what is looked for comes first in real ones). */
const MAX_HEADER = 256;

// Rule 2: automation frameworks and headless browsers.
const AUTOMATION = /headless|phantomjs|slimerjs|puppeteer|playwright|selenium|webdriver|\bjsdom\/|htmlunit|lighthouse|\bptst\/|gtmetrix|dareboost/;

// Rule 3: mail and URL scanners, security crawlers, uptime monitors. Avast, AVG and Norton are not
// listed: their own browsers carry those names in a person's user agent.
const SCANNERS = new RegExp(
  [
    'safe ?links',
    'urldefense',
    'proofpoint',
    'mimecast',
    'barracuda',
    'ironport',
    '\\bcisco\\b',
    'trend ?micro',
    '\\bsophos',
    'symantec',
    'broadcom',
    'fortinet',
    'forti(?:guard|mail|gate)',
    'palo ?alto ?networks',
    '\\bexpanse\\b',
    'zscaler',
    'bitdefender',
    'kaspersky',
    'mcafee',
    'trellix',
    'fireeye',
    'check ?point',
    'avanan',
    'urlscan',
    'virustotal',
    'google-safety',
    'censysinspect',
    'netcraft',
    'qualys',
    'detectify',
    'nuclei',
    'zgrab',
    'masscan',
    'nmap scripting',
    'sqlmap',
    'nikto',
    'clamav',
    'wappalyzer',
    'uptimerobot',
    'pingdom',
    'statuscake',
    'site24x7',
    'datadogsynthetics',
    'ruxitsynthetic',
    'catchpoint',
  ].join('|'),
);

// Rule 4: link unfurlers and crawlers. Names that chat apps also put in the user agent of their
// in-app browsers (where a person reads) are matched only in their fetcher's form: `^WhatsApp/`,
// `^Viber/`, `Snap URL Preview`, `Pinterestbot`, `Mattermost-Bot`, never a bare app name.
const UNFURLERS = new RegExp(
  [
    'slackbot',
    'slack-imgproxy',
    'twitterbot',
    'facebookexternalhit',
    'facebookcatalog',
    'facebot',
    'meta-external(?:agent|fetcher)',
    'discordbot',
    'telegrambot',
    '^whatsapp\\/',
    'linkedinbot',
    'skypeuripreview',
    'microsoftpreview',
    'bingpreview',
    'bingbot',
    'msnbot',
    'googlebot',
    'google-pagerenderer',
    'google-inspectiontool',
    'google web preview',
    'googleimageproxy',
    'google-read-aloud',
    'feedfetcher-google',
    'applebot',
    'redditbot',
    'mattermost-bot',
    '^rocket\\.chat',
    'iframely',
    'embedly',
    '^viber\\/',
    'snap url preview',
    'pinterestbot',
    '^pinterest\\/0\\.',
    'vkshare',
    'yahoo:linkexpander',
    'yahoo link preview',
    'mastodon\\/',
    'pleroma',
    'akkoma',
    'misskey',
    'cardyb',
    'synapse \\(bot',
    'zulipurlpreview',
    'discourse (?:forum )?onebox',
    'quora link preview',
    'bitlybot',
    'flipboardproxy',
    'kakaotalk-scrap',
    'zoombot',
    'duckduckbot',
    'yandexbot',
    'baiduspider',
    'yahoo! slurp',
    'petalbot',
    'ia_archiver',
    'chatgpt-user',
    'perplexity',
    'claudebot',
    'claude-user',
    // Office apps fetch a clicked link themselves before handing it to the browser.
    'ms-office',
    'msoffice',
    'microsoft office',
  ].join('|'),
);

const PREFETCH = /prefetch|prerender|preview/i;
const HEADLESS = /headless/i;
const HEAD = /^head$/i;

// Rule 7: generic HTTP libraries and tools, as `name/version` anywhere, or a few bare forms.
const LIBRARIES =
  /(?:^|[^a-z-])(?:curl|libcurl|wget|python-requests|python-urllib|python-httpx|python|aiohttp|httpx|go-http-client|java|okhttp|apache-httpclient|commons-httpclient|libwww-perl|lwp-trivial|node-fetch|axios|undici|got|guzzlehttp|php|postmanruntime|insomnia|restsharp|reqwest|httpie|faraday|rest-client|http\.rb|scrapy|windowspowershell|dart|deno|bun|ruby|node|powershell|wget2|aria2|httpclient)\/|^(?:node|undici|ruby|go \d|lwp::|got \(|java\b|curl\b|wget\b)/;

const HUSH_CLI = /^hush-cli\//;
const HUSH_LIB = /^hush-lib\//;

// Rule 8: a URL in the user agent.
const NAMES_URL = /https?:\/\/|\+https?:|\+mailto:/;

// Rule 9.
const BROWSER = /^mozilla\/5\.0 \([^)]{1,300}\) (?:applewebkit|gecko)\//;
const HTML = /text\/html/i;
const NAVIGATE = /^\s*navigate\s*$/i;

/** A header's value as one string, cut to MAX_HEADER: '' when absent; repeated headers joined as Node joins them. */
function header(headers: ClientRequest['headers'], name: string): string {
  const v = headers[name];
  const text = typeof v === 'string' ? v : Array.isArray(v) ? v.filter((x) => typeof x === 'string').join(', ') : '';
  return text.length > MAX_HEADER ? text.slice(0, MAX_HEADER) : text;
}

/**
 * The user agent in lower case (the token lists are lower case: case-sensitive expressions run
 * about twice as fast), cut to MAX_USER_AGENT; the first one when repeated, as Node keeps it.
 */
function userAgent(headers: ClientRequest['headers']): string {
  const v = headers['user-agent'];
  const ua = typeof v === 'string' ? v : Array.isArray(v) && typeof v[0] === 'string' ? v[0] : '';
  return (ua.length > MAX_USER_AGENT ? ua.slice(0, MAX_USER_AGENT) : ua).toLowerCase();
}

const isPrefetch = (h: ClientRequest['headers']): boolean =>
  PREFETCH.test(header(h, 'sec-purpose')) || PREFETCH.test(header(h, 'purpose')) || PREFETCH.test(header(h, 'x-moz')) || PREFETCH.test(header(h, 'x-purpose'));

/** What every browser sends when it navigates to a page (without Fetch Metadata: older browsers). */
const looksLikeNavigation = (h: ClientRequest['headers']): boolean => {
  const mode = header(h, 'sec-fetch-mode');
  if (mode !== '') return NAVIGATE.test(mode);
  return HTML.test(header(h, 'accept')) && header(h, 'accept-language').trim() !== '';
};

/**
 * The class of the client behind one request (rules and precedence at the top of this file).
 * Pure and total: it never throws, whatever the headers hold, and keeps nothing.
 */
export function classifyClient(request: ClientRequest): ClientClass {
  const h = request.headers;
  const page = request.kind === 'page';
  const ua = userAgent(h);

  if (header(h, AUTOMATION_HEADER).trim() === AUTOMATION_VALUE) return 'scanner';
  if (AUTOMATION.test(ua) || HEADLESS.test(header(h, 'sec-ch-ua'))) return 'scanner';
  if (SCANNERS.test(ua)) return 'scanner';
  if (UNFURLERS.test(ua)) return 'link-preview';
  if ((typeof request.method === 'string' && HEAD.test(request.method)) || isPrefetch(h)) return 'link-preview';
  if (HUSH_CLI.test(ua)) return 'cli';
  if (HUSH_LIB.test(ua)) return 'api';
  if (LIBRARIES.test(ua)) return page ? 'scanner' : 'api';
  if (NAMES_URL.test(ua)) return 'link-preview';
  if (BROWSER.test(ua)) {
    if (!page) return header(h, 'sec-fetch-site') !== '' ? 'browser' : 'unknown';
    if (looksLikeNavigation(h)) return 'browser';
    return header(h, 'sec-fetch-mode') !== '' ? 'unknown' : 'scanner';
  }
  if (!page) return 'api';
  return looksLikeNavigation(h) ? 'unknown' : 'scanner';
}
