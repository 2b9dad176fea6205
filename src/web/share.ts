// Sharing helpers for the create page only (the reveal page stays small): a link shortened for
// display, and a QR code of the link drawn as SVG in the page — no network, no HTML parsing.
import { encode } from 'uqr';

const SVG_NS = 'http://www.w3.org/2000/svg';
/** Light modules around the code, as ISO/IEC 18004 asks (4 modules). */
const QUIET_ZONE = 4;

/**
 * The link as shown to a person: no scheme, and the id/key part cut to its ends, e.g.
 * `hush.example.com/s/AbCdEf…WxYz` or `hush.example.com/l#1.AbCdEf…WxYz`. Only for display:
 * copying always takes the whole link.
 */
export function shortLink(link: string): string {
  const bare = link.replace(/^[a-z][a-z0-9+.-]*:\/\//i, '');
  const hash = bare.indexOf('#');
  const path = hash === -1 ? bare : bare.slice(0, hash);
  let cut = path.lastIndexOf('/') + 1;
  // A stateless link (`/l#1.…`, `/l#1p.…`): its format prefix stays whole.
  const prefix = /^[^#/]{0,2}#[0-9a-z]+\./.exec(bare.slice(cut));
  if (prefix !== null) cut += prefix[0].length;
  const head = bare.slice(0, cut);
  const tail = bare.slice(cut);
  return tail.length <= 14 ? bare : `${head}${tail.slice(0, 6)}…${tail.slice(-4)}`;
}

/**
 * A QR code of `text` (error correction M) as an SVG image with an accessible name. Dark modules
 * are one path of horizontal runs on a white square, so it scans in dark mode too. Throws
 * RangeError when the text is too long for any QR version.
 */
export function qrSvg(text: string, label: string): SVGSVGElement {
  const qr = encode(text, { ecc: 'M', border: 0 });
  const side = qr.size + 2 * QUIET_ZONE;
  const svg = document.createElementNS(SVG_NS, 'svg');
  svg.setAttribute('viewBox', `0 0 ${side} ${side}`);
  svg.setAttribute('role', 'img');
  svg.setAttribute('aria-label', label);
  svg.setAttribute('shape-rendering', 'crispEdges');
  svg.classList.add('qr');
  if (qr.size > 57) svg.classList.add('qr-dense'); // version 11 and up: show it larger
  const background = document.createElementNS(SVG_NS, 'rect');
  background.setAttribute('width', String(side));
  background.setAttribute('height', String(side));
  background.setAttribute('fill', '#fff');
  const parts: string[] = [];
  qr.data.forEach((row, y) => {
    let x = 0;
    while (x < row.length) {
      if (row[x] !== true) {
        x++;
        continue;
      }
      const start = x;
      while (row[x] === true) x++;
      parts.push(`M${start + QUIET_ZONE} ${y + QUIET_ZONE}h${x - start}v1h${start - x}z`);
    }
  });
  const modules = document.createElementNS(SVG_NS, 'path');
  modules.setAttribute('d', parts.join(''));
  modules.setAttribute('fill', '#000');
  svg.append(background, modules);
  return svg;
}
