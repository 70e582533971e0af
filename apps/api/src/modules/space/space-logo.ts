import { auditOf, authorizeSpace, type ServiceContext } from '../../auth/service-context.js';
import type { Em } from '../../db/orm.js';
import { sha256Hex } from '../../digest.js';
import { AppError } from '../../errors.js';
import { recordAudit } from '../audit/audit.service.js';
import { Space } from './space.entity.js';
import { SpaceLogo } from './space-logo.entity.js';

/** Uploaded logos are small: a 64 px tile needs no more. */
export const MAX_LOGO_BYTES = 256 * 1024;

export type LogoKind = 'png' | 'jpg' | 'svg';

const CONTENT_TYPE: Record<LogoKind, string> = { png: 'image/png', jpg: 'image/jpeg', svg: 'image/svg+xml' };

/** The path an uploaded logo is served at; the hash makes it immutable. */
export const LOGO_PATH = /^\/logos\/([0-9a-f]{32})\.(png|jpg|svg)$/;

/** What the bytes are, by their content (never by a file name): PNG, JPEG, SVG, or nothing we take. */
export function detectLogoKind(bytes: Uint8Array): LogoKind | null {
  if (bytes.length >= 8 && [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a].every((b, i) => bytes[i] === b)) {
    return 'png';
  }
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'jpg';
  const head = new TextDecoder('utf-8', { fatal: false }).decode(bytes.subarray(0, 1024)).trimStart();
  if (/^(<\?xml[^>]*>\s*)?(<!--[\s\S]*?-->\s*)*<svg[\s>]/i.test(head)) return 'svg';
  return null;
}

/** Drawing elements an SVG logo may use; anything else (scripts, foreign content, links, images) is refused. */
const SVG_ELEMENTS = new Set([
  'svg',
  'g',
  'path',
  'rect',
  'circle',
  'ellipse',
  'line',
  'polyline',
  'polygon',
  'defs',
  'title',
  'desc',
  'lineargradient',
  'radialgradient',
  'stop',
  'clippath',
  'mask',
  'text',
  'tspan',
  'use',
  'symbol',
]);

/** Presentation attributes only: no event handlers, no `style` (it can load URLs), no external references. */
const SVG_ATTRIBUTES = new Set([
  'xmlns',
  'xmlns:xlink',
  'version',
  'viewbox',
  'width',
  'height',
  'x',
  'y',
  'x1',
  'y1',
  'x2',
  'y2',
  'cx',
  'cy',
  'r',
  'rx',
  'ry',
  'd',
  'points',
  'fill',
  'fill-opacity',
  'fill-rule',
  'clip-rule',
  'stroke',
  'stroke-width',
  'stroke-linecap',
  'stroke-linejoin',
  'stroke-miterlimit',
  'stroke-dasharray',
  'stroke-dashoffset',
  'stroke-opacity',
  'opacity',
  'transform',
  'id',
  'class',
  'offset',
  'stop-color',
  'stop-opacity',
  'gradientunits',
  'gradienttransform',
  'spreadmethod',
  'fx',
  'fy',
  'clip-path',
  'mask',
  'href',
  'xlink:href',
  'font-family',
  'font-size',
  'font-weight',
  'text-anchor',
  'dominant-baseline',
  'letter-spacing',
  'preserveaspectratio',
  'clippathunits',
  'maskunits',
  'maskcontentunits',
  'xml:space',
  'dx',
  'dy',
]);

/**
 * Checks an SVG against a strict allowlist (decision 0025): only drawing elements and
 * presentation attributes, `href`s that point inside the document (`#id`), no entities, no
 * CDATA, no processing instructions but the XML declaration. Returns why it is refused, or null.
 */
export function svgProblem(text: string): string | null {
  if (/<!DOCTYPE|<!ENTITY|<!\[CDATA\[/i.test(text)) return 'The SVG declares a DOCTYPE, entities or CDATA';
  if (/<\?(?!xml\s)/i.test(text)) return 'The SVG contains processing instructions';
  const withoutComments = text.replace(/<!--[\s\S]*?-->/g, '');
  for (const tag of withoutComments.matchAll(/<\s*([A-Za-z][\w:.-]*)([^>]*)>/g)) {
    const element = (tag[1] ?? '').toLowerCase();
    if (!SVG_ELEMENTS.has(element)) return `The SVG uses <${element}>, which a logo may not contain`;
    for (const attribute of (tag[2] ?? '').matchAll(/([A-Za-z_:][\w:.-]*)\s*=\s*("([^"]*)"|'([^']*)')/g)) {
      const name = (attribute[1] ?? '').toLowerCase();
      const value = attribute[3] ?? attribute[4] ?? '';
      if (!SVG_ATTRIBUTES.has(name))
        return `The SVG uses the attribute ${name}, which a logo may not contain`;
      if ((name === 'href' || name === 'xlink:href') && !/^#[\w.-]+$/.test(value)) {
        return 'The SVG links outside itself';
      }
      if (/url\(\s*(?!#)/i.test(value)) return 'The SVG refers to an outside resource';
    }
  }
  return null;
}

/**
 * Stores an uploaded logo for a space and points the space's logo at it. The type comes from
 * the content; PNG and JPEG are kept as they are, SVG only when it passes {@link svgProblem}.
 * Errors name the `file` field. Space admins and org owners/admins.
 */
export async function uploadSpaceLogo(
  ctx: ServiceContext,
  spaceId: string,
  base64: string,
): Promise<{ logoUrl: string }> {
  authorizeSpace(ctx, 'space.update', spaceId);
  const { em } = ctx;
  const bytes = Buffer.from(base64, 'base64');
  if (bytes.length === 0) throw AppError.field('BAD_REQUEST', 'file', 'Choose an image file');
  if (bytes.length > MAX_LOGO_BYTES) {
    throw AppError.field('BAD_REQUEST', 'file', 'The image is larger than 256 kB');
  }
  const kind = detectLogoKind(bytes);
  if (!kind) throw AppError.field('BAD_REQUEST', 'file', 'Upload a PNG, JPEG or SVG image');
  if (kind === 'svg') {
    const problem = svgProblem(bytes.toString('utf8'));
    if (problem) throw AppError.field('BAD_REQUEST', 'file', `${problem}; export it as PNG instead`);
  }
  const space = await em.findOne(Space, { id: spaceId, organization: ctx.organizationId });
  if (!space) throw AppError.notFound('Space');
  if (space.archivedAt) throw new AppError('PRECONDITION_FAILED', 'This space is archived');
  const hash = sha256Hex(bytes).slice(0, 32);
  const logoUrl = `/logos/${hash}.${kind}`;
  await em.nativeDelete(SpaceLogo, { spaceId: space.id });
  em.create(SpaceLogo, {
    spaceId: space.id,
    organizationId: ctx.organizationId,
    hash,
    contentType: CONTENT_TYPE[kind],
    content: bytes,
    createdAt: new Date(),
  });
  const before = space.logoUrl ?? null;
  space.logoUrl = logoUrl;
  recordAudit(em, auditOf(ctx), {
    organizationId: ctx.organizationId,
    action: 'space.update',
    target: { type: 'space', id: space.id, label: space.name },
    before: { logoUrl: before },
    after: { logoUrl },
  });
  await em.flush();
  return { logoUrl };
}

/** The stored logo a `/logos/<hash>.<ext>` path names, or null. */
export async function loadLogo(
  em: Em,
  path: string,
): Promise<{ contentType: string; content: Buffer } | null> {
  const match = LOGO_PATH.exec(path);
  if (!match) return null;
  const logo = await em.findOne(SpaceLogo, { hash: match[1] ?? '' }, { populate: ['content'] });
  if (!logo || CONTENT_TYPE[match[2] as LogoKind] !== logo.contentType) return null;
  return { contentType: logo.contentType, content: Buffer.from(logo.content) };
}
