// The client class of a secret's events (src/server/client-class.ts): real user agents of each
// kind with the headers their clients really send, the rules' precedence, and that odd headers
// never make it throw or slow down.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { AUTOMATION_HEADER, AUTOMATION_VALUE, classifyClient, MAX_USER_AGENT, type ClientRequest } from '../src/server/client-class.js';
import { CLIENT_CLASSES } from '../src/store/types.js';

type Headers = ClientRequest['headers'];
const page = (headers: Headers, method = 'GET'): ClientRequest => ({ method, headers, kind: 'page' });
const api = (headers: Headers, method = 'POST'): ClientRequest => ({ method, headers, kind: 'api' });

// Headers as the browsers send them on a navigation (Chromium 156 headless sent exactly these,
// with its own user agent: captured on this machine).
const ACCEPT_HTML = 'text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,image/apng,*/*;q=0.8,application/signed-exchange;v=b3;q=0.7';
const NAVIGATION = {
  accept: ACCEPT_HTML,
  'accept-language': 'en-US,en;q=0.9',
  'accept-encoding': 'gzip, deflate, br, zstd',
  'upgrade-insecure-requests': '1',
  'sec-fetch-site': 'none',
  'sec-fetch-mode': 'navigate',
  'sec-fetch-user': '?1',
  'sec-fetch-dest': 'document',
};
/** Safari before 16.4 and other browsers without Fetch Metadata. */
const OLD_NAVIGATION = { accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8', 'accept-language': 'de-DE,de;q=0.9', 'accept-encoding': 'gzip, deflate, br' };
/** The reveal page's own fetch() of the API. */
const PAGE_SCRIPT = { accept: 'application/json', 'content-type': 'application/json', 'accept-language': 'en-US,en;q=0.9', 'sec-fetch-site': 'same-origin', 'sec-fetch-mode': 'cors', 'sec-fetch-dest': 'empty' };
/** What Node 20's fetch sends of its own (captured): the CLI and the library. */
const NODE_FETCH = { accept: 'application/json', 'accept-language': '*', 'sec-fetch-mode': 'cors', 'accept-encoding': 'gzip, deflate' };

const BROWSERS = {
  chrome: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36',
  firefox: 'Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0',
  safari: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4.1 Safari/605.1.15',
  edge: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36 Edg/124.0.2478.67',
  androidChrome: 'Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Mobile Safari/537.36',
  samsung: 'Mozilla/5.0 (Linux; Android 14; SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/24.0 Chrome/117.0.0.0 Mobile Safari/537.36',
  firefoxIos: 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) FxiOS/125.0 Mobile/15E148 Safari/605.1.15',
  // In-app browsers: a person reads there, though the app's name is in the user agent.
  slackDesktop: 'Mozilla/5.0 (Windows NT 10.0.18362; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Slack/4.4.2 Chrome/78.0.3904.130 Electron/7.2.1 Safari/537.36 WindowsStore/10.0.18362 Sonic Slack_SSB/4.4.2',
  discordDesktop: 'Mozilla/5.0 (Windows NT 10.0; WOW64) AppleWebKit/537.36 (KHTML, like Gecko) discord/0.0.306 Chrome/78.0.3904.130 Electron/7.1.11 Safari/537.36',
  facebookApp: 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/21B80 [FBAN/FBIOS;FBAV/443.0.0.33.109;FBBV/551231775;FBDV/iPhone14,5;FBMD/iPhone;FBSN/iOS;FBSV/17.1;FBSS/3;FBID/phone;FBLC/en_US;FBOP/5]',
  snapchatApp: 'Mozilla/5.0 (iPhone; CPU iPhone OS 16_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 Snapchat/12.50.0.37 (like Safari/8615.3.12.10.2, panda)',
  pinterestApp: 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 [Pinterest/iOS]',
  linkedinApp: 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_2 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 [LinkedInApp]/9.29.6943',
  whatsappWebView: 'Mozilla/5.0 (Linux; Android 13; Pixel 7) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/120.0.6099.43 Mobile Safari/537.36 WhatsApp/2.23.25.83',
};

const UNFURLERS = [
  'Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)',
  'Slack-ImgProxy (+https://api.slack.com/robots)',
  'Twitterbot/1.0',
  'facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)',
  'facebookexternalhit/1.1 Facebot Twitterbot/1.0', // iMessage
  'Mozilla/5.0 (compatible; Discordbot/2.0; +https://discordapp.com)',
  'TelegramBot (like TwitterBot)',
  'WhatsApp/2.23.20.0 A',
  'WhatsApp/2', // Signal Desktop's link previews (ts/linkPreviews/linkPreviewFetch.ts)
  'LinkedInBot/1.0 (compatible; Mozilla/5.0; Apache-HttpClient +http://www.linkedin.com)',
  'Mozilla/5.0 (Windows NT 6.1; WOW64) SkypeUriPreview Preview/0.5 skype-url-preview@microsoft.com', // Teams, Skype
  'MicrosoftPreview/2.0 +https://aka.ms/browserpolicydoc', // Teams
  'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)',
  'Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/13.1.1 Safari/605.1.15 (Applebot/0.1; +http://www.apple.com/go/applebot)',
  'Mozilla/5.0 (compatible; redditbot/1.0; +http://www.reddit.com/feedback)',
  'Mattermost-Bot/1.1',
  'Iframely/1.3.1 (+https://iframely.com/docs/about)',
  'Mozilla/5.0 (compatible; Embedly/0.2; +http://support.embed.ly/)',
  'Viber/20.9.0.8 CFNetwork/1410.0.3 Darwin/22.6.0',
  'Snap URL Preview Service; bot; snapchat; https://developers.snap.com/robots',
  'Mozilla/5.0 (compatible; Pinterestbot/1.0; +http://www.pinterest.com/bot.html)',
  'Mozilla/5.0 (compatible; vkShare; +http://vk.com/dev/Share)',
  'Yahoo:LinkExpander:Slingstone',
  'http.rb/5.1.1 (Mastodon/4.2.10; +https://mastodon.social/)',
  'Mozilla/5.0 (compatible; Bluesky Cardyb/1.1; +mailto:support@bsky.app)',
  'Mozilla/5.0 (Linux; Android 6.0.1; Nexus 5X Build/MMB29P) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/99.0.4844.84 Mobile Safari/537.36 (compatible; Google-PageRenderer Google (+https://developers.google.com/+/web/snippet/))',
  'Mozilla/5.0 (compatible; Google-InspectionTool/1.0;)',
  'Synapse (bot; +https://github.com/matrix-org/synapse)', // Matrix, Element
  'Quora Link Preview/1.0 (http://www.quora.com)',
  'Microsoft Office/16.0 (Windows NT 10.0; Microsoft Outlook 16.0.12026; Pro)',
];

const SCANNERS = [
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/156.0.0.0 Safari/537.36',
  'Mozilla/5.0 (Unknown; Linux x86_64) AppleWebKit/538.1 (KHTML, like Gecko) PhantomJS/2.1.1 Safari/538.1',
  'Mozilla/5.0 (linux) AppleWebKit/537.36 (KHTML, like Gecko) jsdom/22.1.0',
  'Mozilla/5.0 (Linux; Android 7.0; Moto G (4)) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/84.0.4143.7 Mobile Safari/537.36 Chrome-Lighthouse',
  'Kaspersky Lab CFR link resolver cfradmins@kaspersky.com',
  'Expanse, a Palo Alto Networks company, searches across the global IPv4 space multiple times per day to identify customers&#39; presences on the Internet.',
  'Mozilla/5.0 (compatible; CensysInspect/1.1; +https://about.censys.io/)',
  'Google-Safety',
  'Mozilla/5.0+(compatible; UptimeRobot/2.0; http://www.uptimerobot.com/)',
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36 Proofpoint',
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/75.0.3770.100 Safari/537.36 Mimecast',
];

const LIBRARIES = [
  'curl/7.88.1',
  'Wget/1.21.3',
  'python-requests/2.31.0',
  'Python-urllib/3.11',
  'Go-http-client/1.1',
  'Java/17.0.2',
  'okhttp/4.12.0',
  'libwww-perl/6.72',
  'node-fetch/1.0 (+https://github.com/bitinn/node-fetch)',
  'node',
  'undici',
  'axios/1.6.8',
  'Apache-HttpClient/4.5.14 (Java/17.0.9)',
  'PostmanRuntime/7.36.3',
  'Mozilla/5.0 (Windows NT; Windows NT 10.0; en-US) WindowsPowerShell/5.1.22621.2506',
  'got (https://github.com/sindresorhus/got)',
  'Scrapy/2.11.0 (+https://scrapy.org)',
];

describe('each class, from real user agents', () => {
  it('browsers navigating to the page, with or without Fetch Metadata, in-app browsers included', () => {
    for (const [name, ua] of Object.entries(BROWSERS)) {
      expect(classifyClient(page({ ...NAVIGATION, 'user-agent': ua })), name).toBe('browser');
      expect(classifyClient(page({ ...OLD_NAVIGATION, 'user-agent': ua })), `${name}, no Fetch Metadata`).toBe('browser');
    }
    // Safari 15 on an iPhone, which sends no Sec-Fetch-* at all.
    const safari15 = 'Mozilla/5.0 (iPhone; CPU iPhone OS 15_8 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/15.6.6 Mobile/15E148 Safari/604.1';
    expect(classifyClient(page({ ...OLD_NAVIGATION, 'user-agent': safari15 }))).toBe('browser');
    // Navigating into an iframe is a navigation too.
    expect(classifyClient(page({ ...NAVIGATION, 'sec-fetch-dest': 'iframe', 'user-agent': BROWSERS.chrome }))).toBe('browser');
  });

  it("browsers running the page's script against the API", () => {
    for (const [name, ua] of Object.entries(BROWSERS)) expect(classifyClient(api({ ...PAGE_SCRIPT, 'user-agent': ua })), name).toBe('browser');
    expect(classifyClient(api({ ...PAGE_SCRIPT, 'sec-fetch-site': 'same-site', 'user-agent': BROWSERS.firefox }))).toBe('browser');
  });

  it('link previews: unfurlers by name, on the page and on the API, whatever they send besides', () => {
    for (const ua of UNFURLERS) {
      expect(classifyClient(page({ 'user-agent': ua, accept: '*/*' })), ua).toBe('link-preview');
      expect(classifyClient(page({ ...NAVIGATION, 'user-agent': ua })), ua).toBe('link-preview');
      expect(classifyClient(page({ 'user-agent': ua }, 'HEAD')), ua).toBe('link-preview');
      expect(classifyClient(api({ 'user-agent': ua })), ua).toBe('link-preview');
    }
  });

  it('link previews: HEAD and prefetches, from any browser', () => {
    expect(classifyClient(page({ ...NAVIGATION, 'user-agent': BROWSERS.chrome }, 'HEAD'))).toBe('link-preview');
    expect(classifyClient(page({ 'user-agent': BROWSERS.safari }, 'head'))).toBe('link-preview');
    expect(classifyClient(page({}, 'HEAD'))).toBe('link-preview');
    // Chrome's <link rel=prefetch> and speculation rules, its older Purpose header, Firefox's X-Moz, Safari's Top Sites.
    expect(classifyClient(page({ ...NAVIGATION, 'sec-purpose': 'prefetch', 'user-agent': BROWSERS.chrome }))).toBe('link-preview');
    expect(classifyClient(page({ ...NAVIGATION, 'sec-purpose': 'prefetch;prerender', 'user-agent': BROWSERS.chrome }))).toBe('link-preview');
    expect(classifyClient(page({ ...NAVIGATION, 'sec-purpose': 'prefetch;anonymous-client-ip', 'user-agent': BROWSERS.edge }))).toBe('link-preview');
    expect(classifyClient(page({ ...OLD_NAVIGATION, purpose: 'prefetch', 'user-agent': BROWSERS.androidChrome }))).toBe('link-preview');
    expect(classifyClient(page({ ...OLD_NAVIGATION, 'x-moz': 'prefetch', 'user-agent': BROWSERS.firefox }))).toBe('link-preview');
    expect(classifyClient(page({ ...OLD_NAVIGATION, 'x-purpose': 'preview', 'user-agent': BROWSERS.safari }))).toBe('link-preview');
  });

  it('scanners: headless and automated browsers, scanners by name, the automation hint', () => {
    for (const ua of SCANNERS) {
      expect(classifyClient(page({ ...NAVIGATION, 'user-agent': ua })), ua).toBe('scanner');
      expect(classifyClient(api({ ...PAGE_SCRIPT, 'user-agent': ua })), ua).toBe('scanner');
    }
    // Older headless Chrome named itself in Sec-CH-UA while a script set a normal user agent.
    const headlessHints = { ...NAVIGATION, 'sec-ch-ua': '"HeadlessChrome";v="119", "Chromium";v="119", "Not?A_Brand";v="24"', 'user-agent': BROWSERS.chrome };
    expect(classifyClient(page(headlessHints))).toBe('scanner');
    // A browser driven by WebDriver with a perfect disguise: the page's script saw navigator.webdriver.
    const driven = { ...PAGE_SCRIPT, [AUTOMATION_HEADER]: AUTOMATION_VALUE, 'user-agent': BROWSERS.chrome };
    expect(classifyClient(api(driven))).toBe('scanner');
    expect(classifyClient(api({ ...driven, [AUTOMATION_HEADER]: ' 1 ' }))).toBe('scanner');
    expect(classifyClient(api({ ...driven, [AUTOMATION_HEADER]: '0' }))).toBe('browser');
    expect(classifyClient(api({ ...driven, [AUTOMATION_HEADER]: '' }))).toBe('browser');
  });

  it('scanners: HTTP libraries on the page, and page requests without the headers of a navigation', () => {
    for (const ua of LIBRARIES) expect(classifyClient(page({ 'user-agent': ua, accept: '*/*' })), ua).toBe('scanner');
    // Exactly what curl, wget and Node's fetch sent here (captured).
    expect(classifyClient(page({ host: 'h', 'user-agent': 'curl/7.88.1', accept: '*/*' }))).toBe('scanner');
    expect(classifyClient(page({ host: 'h', 'user-agent': 'Wget/1.21.3', accept: '*/*', 'accept-encoding': 'identity', connection: 'Keep-Alive' }))).toBe('scanner');
    expect(classifyClient(page({ ...NODE_FETCH, accept: '*/*', 'user-agent': 'node' }))).toBe('scanner');
    // Microsoft Safe Links, as reported: a Chrome user agent, or none, and no browser's headers.
    const safeLinks = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/97.0.4692.99 Safari/537.36';
    expect(classifyClient(page({ 'user-agent': safeLinks, accept: '*/*' }))).toBe('scanner');
    expect(classifyClient(page({ 'user-agent': safeLinks, accept: ACCEPT_HTML }))).toBe('scanner'); // no Accept-Language
    expect(classifyClient(page({}))).toBe('scanner');
    expect(classifyClient(page({ 'user-agent': 'SomeChecker/2.0', accept: '*/*' }))).toBe('scanner');
  });

  it('cli: the hush CLI by its user agent', () => {
    for (const ua of ['hush-cli/0.1.0', 'hush-cli/1.4.2', 'hush-cli/2.0.0-beta.3']) {
      expect(classifyClient(api({ ...NODE_FETCH, 'user-agent': ua })), ua).toBe('cli');
      expect(classifyClient(api({ ...NODE_FETCH, 'user-agent': ua }, 'GET')), ua).toBe('cli');
      expect(classifyClient(api({ ...NODE_FETCH, 'user-agent': ua }, 'DELETE')), ua).toBe('cli');
    }
  });

  it('api: the library, HTTP libraries, SDKs and nameless clients on the API', () => {
    for (const ua of ['hush-lib/0.1.0', 'hush-lib/1.0.0', ...LIBRARIES, '']) {
      expect(classifyClient(api({ 'user-agent': ua, accept: 'application/json' })), ua).toBe('api');
    }
    expect(classifyClient(api({ ...NODE_FETCH, 'user-agent': 'hush-lib/0.1.0' }))).toBe('api');
    expect(classifyClient(api({ ...NODE_FETCH, 'user-agent': 'node' }))).toBe('api'); // the CLI before it named itself
    expect(classifyClient(api({ accept: '*/*' }))).toBe('api');
    expect(classifyClient(api({ 'user-agent': 'acme-deploy-bot 3.2', 'content-type': 'application/json' }))).toBe('api');
  });

  it('unknown: what fits no class', () => {
    // A browser's name without a browser's Fetch Metadata on the API: a script dressed as Chrome, or an old Safari.
    expect(classifyClient(api({ 'user-agent': BROWSERS.chrome, accept: 'application/json' }))).toBe('unknown');
    expect(classifyClient(api({ ...NODE_FETCH, 'user-agent': BROWSERS.firefox }))).toBe('unknown');
    // A browser fetching the page, not navigating to it.
    expect(classifyClient(page({ ...PAGE_SCRIPT, accept: '*/*', 'user-agent': BROWSERS.chrome }))).toBe('unknown');
    expect(classifyClient(page({ ...NAVIGATION, 'sec-fetch-mode': 'no-cors', 'sec-fetch-dest': 'image', 'user-agent': BROWSERS.safari }))).toBe('unknown');
    // Something unnamed that navigates like a browser.
    expect(classifyClient(page({ ...NAVIGATION, 'user-agent': 'MyReader/3.1 (iPhone; iOS 17.4)' }))).toBe('unknown');
    expect(classifyClient(page({ ...OLD_NAVIGATION }))).toBe('unknown');
  });

  it('every answer is one of the classes the store keeps', () => {
    const all = [...Object.values(BROWSERS), ...UNFURLERS, ...SCANNERS, ...LIBRARIES, '', 'hush-cli/1', 'hush-lib/1'];
    const seen = new Set<string>();
    for (const ua of all) {
      for (const headers of [{}, NAVIGATION, OLD_NAVIGATION, PAGE_SCRIPT, NODE_FETCH]) {
        for (const kind of ['page', 'api'] as const) {
          for (const method of ['GET', 'HEAD', 'POST']) seen.add(classifyClient({ method, kind, headers: { ...headers, 'user-agent': ua } }));
        }
      }
    }
    expect([...seen].sort()).toEqual([...CLIENT_CLASSES].sort());
  });
});

describe('precedence', () => {
  it('who the client is beats what it does: a HeadlessChrome prefetch or HEAD is a scanner, a WhatsApp HEAD a link preview', () => {
    const headless = SCANNERS[0]!;
    expect(classifyClient(page({ ...NAVIGATION, 'sec-purpose': 'prefetch', 'user-agent': headless }))).toBe('scanner');
    expect(classifyClient(page({ 'user-agent': headless }, 'HEAD'))).toBe('scanner');
    expect(classifyClient(page({ 'user-agent': 'Kaspersky Lab CFR link resolver cfradmins@kaspersky.com' }, 'HEAD'))).toBe('scanner');
    expect(classifyClient(page({ 'user-agent': 'WhatsApp/2.23.20.0 A' }, 'HEAD'))).toBe('link-preview');
  });

  it('the automation hint beats every name, scanner names beat unfurler names', () => {
    expect(classifyClient(api({ [AUTOMATION_HEADER]: '1', 'user-agent': 'Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)' }))).toBe('scanner');
    expect(classifyClient(api({ [AUTOMATION_HEADER]: '1', 'user-agent': 'hush-cli/0.1.0' }))).toBe('scanner');
    expect(classifyClient(page({ 'user-agent': 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html) Mimecast' }))).toBe('scanner');
    expect(classifyClient(page({ 'user-agent': 'Mozilla/5.0 (compatible; Discordbot/2.0; +https://discordapp.com) HeadlessChrome/120' }))).toBe('scanner');
  });

  it('a preview or prefetch that calls itself the CLI is still a preview; an unfurler built on an HTTP library is an unfurler', () => {
    expect(classifyClient(api({ 'user-agent': 'hush-cli/0.1.0' }, 'HEAD'))).toBe('link-preview');
    expect(classifyClient(api({ 'user-agent': 'hush-cli/0.1.0', 'sec-purpose': 'prefetch' }))).toBe('link-preview');
    expect(classifyClient(page({ 'user-agent': 'curl/8.5.0' }, 'HEAD'))).toBe('link-preview');
    // LinkedIn's and Mastodon's fetchers carry an HTTP library's name too.
    expect(classifyClient(page({ 'user-agent': UNFURLERS[9]! }))).toBe('link-preview');
    expect(classifyClient(page({ 'user-agent': 'http.rb/5.1.1 (Mastodon/4.2.10; +https://mastodon.social/)' }))).toBe('link-preview');
  });

  it('a library is a scanner on the page but api on the API; a crawler naming its URL is a link preview on both', () => {
    expect(classifyClient(page({ 'user-agent': 'python-requests/2.31.0' }))).toBe('scanner');
    expect(classifyClient(api({ 'user-agent': 'python-requests/2.31.0' }))).toBe('api');
    const crawler = 'Mozilla/5.0 (compatible; SomeNewCrawler/0.3; +https://crawler.example/about)';
    expect(classifyClient(page({ 'user-agent': crawler }))).toBe('link-preview');
    expect(classifyClient(api({ 'user-agent': crawler }))).toBe('link-preview');
  });

  it('in-app browsers are browsers: only the fetchers of those apps are previews', () => {
    expect(classifyClient(page({ ...NAVIGATION, 'user-agent': BROWSERS.whatsappWebView }))).toBe('browser');
    expect(classifyClient(page({ 'user-agent': 'WhatsApp/2.23.25.83 A' }))).toBe('link-preview');
    expect(classifyClient(page({ ...NAVIGATION, 'user-agent': BROWSERS.snapchatApp }))).toBe('browser');
    expect(classifyClient(page({ ...NAVIGATION, 'user-agent': BROWSERS.slackDesktop }))).toBe('browser');
    expect(classifyClient(page({ ...NAVIGATION, 'user-agent': BROWSERS.linkedinApp }))).toBe('browser');
  });
});

describe('odd headers', () => {
  it('never throws: arrays, empty values, missing method, non-strings, control characters, no headers at all', () => {
    const odd: ClientRequest[] = [
      page({ 'user-agent': [BROWSERS.chrome, 'curl/8'], ...NAVIGATION }),
      page({ 'user-agent': [], accept: [], 'sec-fetch-mode': [] }),
      page({ 'user-agent': '', accept: '', 'accept-language': '', 'sec-fetch-mode': '' }),
      api({ [AUTOMATION_HEADER]: ['0', '1'] }),
      page({ 'sec-purpose': ['prefetch'] }),
      { method: '', headers: {}, kind: 'page' },
      { method: undefined as unknown as string, headers: {}, kind: 'api' },
      { method: 'GET', headers: { 'user-agent': 42 as unknown as string, accept: null as unknown as string, 'sec-ch-ua': {} as unknown as string }, kind: 'page' },
      { method: 'GET', headers: { 'user-agent': [7, null] as unknown as string[] }, kind: 'page' },
      page({ 'user-agent': '\u0000\u001b[2J\u202e\ud800 Mozilla/5.0', 'accept-language': '\r\n' }),
      page({ 'user-agent': 'x'.repeat(8192), accept: 'y'.repeat(8192), 'accept-language': ' '.repeat(8192), 'sec-fetch-mode': ' '.repeat(8191) + 'x' }),
      { method: 'GET', headers: Object.create(null) as Headers, kind: 'page' },
    ];
    for (const r of odd) {
      const got = classifyClient(r);
      expect(CLIENT_CLASSES).toContain(got);
    }
    expect(classifyClient(page({ 'user-agent': [BROWSERS.chrome, 'curl/8'], ...NAVIGATION }))).toBe('browser'); // the first one counts, as in Node
    expect(classifyClient(api({ [AUTOMATION_HEADER]: ['1'] }))).toBe('scanner');
  });

  it('looks at the first 512 characters of the user agent only, so an 8 KiB one costs no more', () => {
    const padded = `${BROWSERS.chrome} ${'a'.repeat(8192)}`;
    expect(classifyClient(page({ ...NAVIGATION, 'user-agent': padded }))).toBe('browser');
    expect(classifyClient(page({ ...NAVIGATION, 'user-agent': `${'a'.repeat(MAX_USER_AGENT)} HeadlessChrome/120` }))).toBe('unknown');
    expect(classifyClient(page({ ...NAVIGATION, 'user-agent': `${'a'.repeat(MAX_USER_AGENT - 20)} HeadlessChrome/120` }))).toBe('scanner');
  });

  it('is fast: under 10 µs a request on average (about 1.5 here), 8 KiB headers included', () => {
    const inputs: ClientRequest[] = [
      page({ ...NAVIGATION, 'user-agent': BROWSERS.chrome }),
      api({ ...PAGE_SCRIPT, 'user-agent': BROWSERS.safari }),
      page({ 'user-agent': 'curl/8.5.0', accept: '*/*' }),
      api({ ...NODE_FETCH, 'user-agent': 'hush-cli/0.1.0' }),
      page({ 'user-agent': 'z'.repeat(8192), accept: 'q'.repeat(8192), 'accept-language': 'en' }),
      page({ 'user-agent': BROWSERS.edge, 'sec-fetch-mode': 'navigate', 'sec-ch-ua': 'w'.repeat(8192) }),
    ];
    // The best of 10 batches: other tests share the machine, and a batch they slow down says nothing.
    const batch = 5000;
    for (let i = 0; i < 2000; i++) classifyClient(inputs[i % inputs.length]!); // warm up
    let perCallUs = Infinity;
    for (let b = 0; b < 10; b++) {
      const start = process.hrtime.bigint();
      for (let i = 0; i < batch; i++) classifyClient(inputs[i % inputs.length]!);
      perCallUs = Math.min(perCallUs, Number(process.hrtime.bigint() - start) / 1000 / batch);
    }
    console.log(`classifyClient: ${perCallUs.toFixed(2)} µs a call on average (best of 10 batches of ${String(batch)})`);
    expect(perCallUs).toBeLessThan(10);
  });

  it('the automation hint has the name and value the reveal page sends', () => {
    expect(AUTOMATION_HEADER).toBe('x-hush-automation');
    expect(AUTOMATION_VALUE).toBe('1');
    const reveal = readFileSync(new URL('../src/web/page-reveal.ts', import.meta.url), 'utf8');
    expect(reveal).toMatch(/headers\.set\(AUTOMATION_HEADER, '1'\)/);
  });
});
