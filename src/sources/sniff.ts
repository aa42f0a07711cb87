/**
 * What a file is, from its first bytes — never from its name, its MIME type or the input it came
 * through (an MP4 renamed clip.jpg is a video; a JPEG named photo.mp4 is a photo).
 */
export type ContentKind = 'image' | 'video' | 'audio' | 'text' | 'empty' | 'unknown';

export type ContentFormat =
  | 'jpeg' | 'png' | 'gif' | 'webp' | 'bmp' | 'svg' | 'heic' | 'avif'
  | 'mp4' | 'mov' | 'webm' | 'mkv' | 'ogg' | 'avi'
  | 'mp3' | 'aac' | 'wav' | 'flac' | 'm4a'
  | 'text' | 'empty' | 'unknown';

export interface Sniffed {
  kind: ContentKind;
  format: ContentFormat;
  /** The format's name for the user (e.g. "MP4", "HEIC"). */
  label: string;
  /** The MIME type the content has, whatever the file claims; null when there is none. */
  mime: string | null;
}

/** How many first bytes are read: enough for an ISO-BMFF brand list and a Matroska track list. */
export const SNIFF_BYTES = 64 * 1024;

const FORMATS: Record<ContentFormat, { kind: ContentKind; label: string; mime: string | null }> = {
  jpeg: { kind: 'image', label: 'JPEG', mime: 'image/jpeg' },
  png: { kind: 'image', label: 'PNG', mime: 'image/png' },
  gif: { kind: 'image', label: 'GIF', mime: 'image/gif' },
  webp: { kind: 'image', label: 'WebP', mime: 'image/webp' },
  bmp: { kind: 'image', label: 'BMP', mime: 'image/bmp' },
  svg: { kind: 'image', label: 'SVG', mime: 'image/svg+xml' },
  heic: { kind: 'image', label: 'HEIC/HEIF', mime: 'image/heic' },
  avif: { kind: 'image', label: 'AVIF', mime: 'image/avif' },
  mp4: { kind: 'video', label: 'MP4', mime: 'video/mp4' },
  mov: { kind: 'video', label: 'QuickTime MOV', mime: 'video/quicktime' },
  webm: { kind: 'video', label: 'WebM', mime: 'video/webm' },
  mkv: { kind: 'video', label: 'Matroska', mime: 'video/x-matroska' },
  ogg: { kind: 'video', label: 'Ogg', mime: 'video/ogg' },
  avi: { kind: 'video', label: 'AVI', mime: 'video/x-msvideo' },
  mp3: { kind: 'audio', label: 'MP3', mime: 'audio/mpeg' },
  aac: { kind: 'audio', label: 'AAC', mime: 'audio/aac' },
  wav: { kind: 'audio', label: 'WAV', mime: 'audio/wav' },
  flac: { kind: 'audio', label: 'FLAC', mime: 'audio/flac' },
  m4a: { kind: 'audio', label: 'M4A', mime: 'audio/mp4' },
  text: { kind: 'text', label: 'text', mime: 'text/plain' },
  empty: { kind: 'empty', label: 'empty', mime: null },
  unknown: { kind: 'unknown', label: 'unknown', mime: null },
};

function sniffed(format: ContentFormat, kind?: ContentKind): Sniffed {
  const known = FORMATS[format];
  const mime = kind === 'audio' && known.mime?.startsWith('video/') ? known.mime.replace('video/', 'audio/') : known.mime;
  return { format, label: known.label, kind: kind ?? known.kind, mime };
}

const ascii = (bytes: Uint8Array, start: number, end: number) => String.fromCharCode(...bytes.subarray(start, Math.min(end, bytes.length)));
const latin1 = (bytes: Uint8Array) => new TextDecoder('latin1').decode(bytes);

// ISO-BMFF (MP4, MOV, HEIF, AVIF, M4A) share one container; the brands of the `ftyp` box say which it is.
const AVIF_BRANDS = ['avif', 'avis'];
const HEIF_BRANDS = ['heic', 'heix', 'heim', 'heis', 'hevc', 'hevx', 'mif1', 'mif2', 'msf1'];
const AUDIO_BRANDS = ['M4A ', 'M4B ', 'M4P ', 'F4A ', 'F4B '];
const QUICKTIME_BRANDS = ['qt  '];
const VIDEO_BRANDS = [
  'isom', 'iso2', 'iso3', 'iso4', 'iso5', 'iso6', 'iso7', 'iso8', 'iso9', 'mp41', 'mp42', 'mp71', 'avc1', 'hvc1', 'av01', 'M4V ', 'M4VH', 'M4VP',
  'f4v ', 'mmp4', 'MSNV', 'NDAS', 'dash', 'cmfc', '3gp4', '3gp5', '3gp6', '3g2a', '3g2b', '3g2c', 'XAVC',
];
/** Box types a QuickTime file without `ftyp` (older cameras) may start with. */
const QUICKTIME_BOXES = ['moov', 'mdat', 'wide', 'free', 'skip', 'pnot'];

/** The major brand and the compatible brands of an ISO-BMFF `ftyp` box at the start of `bytes`. */
function ftypBrands(bytes: Uint8Array): { major: string; compatible: string[] } {
  const boxSize = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(0);
  const end = Math.min(bytes.length, boxSize >= 16 ? boxSize : bytes.length);
  const compatible: string[] = [];
  for (let offset = 16; offset + 4 <= end; offset += 4) compatible.push(ascii(bytes, offset, offset + 4));
  return { major: ascii(bytes, 8, 12), compatible };
}

function isoBmff(bytes: Uint8Array): Sniffed {
  const { major, compatible } = ftypBrands(bytes);
  const all = [major, ...compatible];
  const has = (brands: string[]) => all.some((brand) => brands.includes(brand));
  if (has(AVIF_BRANDS)) return sniffed('avif');
  if (AUDIO_BRANDS.includes(major)) return sniffed('m4a');
  if (QUICKTIME_BRANDS.includes(major)) return sniffed('mov');
  if (VIDEO_BRANDS.includes(major)) return sniffed('mp4');
  if (has(HEIF_BRANDS)) return sniffed('heic');
  if (has(QUICKTIME_BRANDS)) return sniffed('mov');
  if (has(AUDIO_BRANDS) && !has(VIDEO_BRANDS)) return sniffed('m4a');
  // An unlisted brand: most ISO-BMFF files are movies; the media element has the last word.
  return sniffed('mp4');
}

/**
 * Matroska/WebM: a video when a video codec is listed (CodecID "V_…"), sound only when just audio
 * codecs are; when the track list lies beyond the bytes read, a video (the media element decides).
 */
function matroska(bytes: Uint8Array): Sniffed {
  const text = latin1(bytes);
  const format = text.slice(0, 64).includes('webm') ? 'webm' : 'mkv';
  // CodecID element (0x86) with a one-byte size, then the codec name.
  const codecs = [...text.matchAll(/\x86[\x81-\xbf]([VAS])_/g)].map((match) => match[1]);
  return sniffed(format, !codecs.includes('V') && codecs.includes('A') ? 'audio' : 'video');
}

/** Ogg: Theora is video; Vorbis, Opus, FLAC and Speex are sound. */
function ogg(bytes: Uint8Array): Sniffed {
  return sniffed('ogg', latin1(bytes).includes('theora') ? 'video' : 'audio');
}

function isText(bytes: Uint8Array): boolean {
  const sample = bytes.subarray(0, 4096);
  try {
    // `stream` leaves a character cut at the end of the sample out instead of failing on it.
    new TextDecoder('utf-8', { fatal: true }).decode(sample, { stream: true });
  } catch {
    return false;
  }
  return sample.every((byte) => byte >= 0x20 || byte === 0x09 || byte === 0x0a || byte === 0x0d || byte === 0x0c || byte === 0x1b);
}

/** White space, XML declaration, comments and doctype: what may come before the root element. */
const XML_PROLOG = /^(?:\s+|<\?[\s\S]*?\?>|<!--[\s\S]*?-->|<!doctype[^[>]*(?:\[[\s\S]*?\])?\s*>)*/i;

/** The document's first element is <svg> (editors and icon sites often put a comment, doctype or licence first). */
function isSvg(bytes: Uint8Array): boolean {
  const text = new TextDecoder().decode(bytes).replace(/^\uFEFF/, '');
  return /^<svg[\s>/]/i.test(text.slice(XML_PROLOG.exec(text)?.[0].length ?? 0));
}

/** What the first bytes of a file (at least the first 16, ideally SNIFF_BYTES) say it is. */
export function sniffBytes(bytes: Uint8Array): Sniffed {
  if (bytes.length === 0) return sniffed('empty');
  const b = bytes;
  const tag = (start: number, value: string) => ascii(b, start, start + value.length) === value;
  if (b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return sniffed('jpeg');
  if (b.length >= 8 && b[0] === 0x89 && tag(1, 'PNG\r\n\x1a\n')) return sniffed('png');
  if (tag(0, 'GIF87a') || tag(0, 'GIF89a')) return sniffed('gif');
  if (tag(0, 'RIFF') && tag(8, 'WEBP')) return sniffed('webp');
  if (tag(0, 'RIFF') && tag(8, 'WAVE')) return sniffed('wav');
  if (tag(0, 'RIFF') && tag(8, 'AVI ')) return sniffed('avi');
  if (b.length >= 18 && tag(0, 'BM') && [12, 40, 52, 56, 64, 108, 124].includes(b[14] | (b[15] << 8) | (b[16] << 16) | (b[17] << 24))) return sniffed('bmp');
  if (b.length >= 12 && tag(4, 'ftyp')) return isoBmff(b);
  if (b.length >= 8 && QUICKTIME_BOXES.some((box) => tag(4, box))) return sniffed('mov');
  if (b.length >= 4 && b[0] === 0x1a && b[1] === 0x45 && b[2] === 0xdf && b[3] === 0xa3) return matroska(b);
  if (tag(0, 'OggS')) return ogg(b);
  if (tag(0, 'fLaC')) return sniffed('flac');
  if (tag(0, 'ID3')) return sniffed('mp3');
  if (b.length >= 2 && b[0] === 0xff && (b[1] & 0xe0) === 0xe0) {
    // An MPEG audio frame: layer bits 00 are AAC (ADTS), the others MP3 (layers I–III).
    const layer = (b[1] >> 1) & 3;
    return sniffed(layer === 0 ? 'aac' : 'mp3');
  }
  if (isSvg(b)) return sniffed('svg');
  if (isText(b)) return sniffed('text');
  return sniffed('unknown');
}

/** What `file` is, from its first bytes. */
export async function sniffFile(file: Blob): Promise<Sniffed> {
  if (file.size === 0) return sniffed('empty');
  return sniffBytes(new Uint8Array(await file.slice(0, SNIFF_BYTES).arrayBuffer()));
}
