// The files inputs name (the config file, templates, vars files) are read as UTF-8 text, or refused before
// anything else happens: a FIFO or a device would block the run or never end, and another encoding would
// reach the task definition as U+FFFD (or, as UTF-16, not parse at all).
import { closeSync, constants, fstatSync, openSync, readFileSync, type Stats } from 'node:fs';
import { InputError } from '../shared/errors';

/** The file's text; an InputError naming the input and the file (and the line, for an encoding) otherwise. */
export function readTextFile(path: string, inputName: string): string {
  const bytes = readRegularFile(path, inputName);
  const encoding = otherEncoding(bytes);
  if (encoding) throw new InputError([`${inputName}: ${path}:1: the file is ${encoding}. Expected UTF-8: save it as UTF-8.`]);
  const invalid = firstInvalidUtf8(bytes);
  if (invalid !== -1) {
    throw new InputError([`${inputName}: ${path}:${lineAt(bytes, invalid)}: not UTF-8 (probably Latin-1 or Windows-1252). Expected UTF-8: save the file as UTF-8.`]);
  }
  return new TextDecoder('utf-8').decode(bytes);
}

/** Opened without blocking, so that a FIFO is refused instead of waited on. */
function readRegularFile(path: string, inputName: string): Buffer {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    throw new InputError([`${inputName}: ${describeOpenError(error, path)}`]);
  }
  try {
    const stats = fstatSync(fd);
    if (!stats.isFile()) throw new InputError([`${inputName}: ${path} is not a regular file (it is ${kindOf(stats)}). Expected a file.`]);
    return readFileSync(fd);
  } finally {
    closeSync(fd);
  }
}

function describeOpenError(error: unknown, path: string): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return `file not found: ${path}`;
  if (code === 'EACCES') return `cannot read ${path}: permission denied.`;
  return `cannot read ${path}: ${(error as Error).message}`;
}

function kindOf(stats: Stats): string {
  if (stats.isDirectory()) return 'a directory';
  if (stats.isFIFO()) return 'a FIFO (named pipe)';
  if (stats.isCharacterDevice()) return 'a character device';
  if (stats.isBlockDevice()) return 'a block device';
  if (stats.isSocket()) return 'a socket';
  return 'not a file';
}

/** UTF-16 or UTF-32, by a byte order mark or by the NUL bytes of ASCII text in UTF-16. */
function otherEncoding(bytes: Buffer): string | undefined {
  const starts = (...mark: number[]) => mark.every((byte, i) => bytes[i] === byte);
  if (starts(0xff, 0xfe, 0, 0)) return 'UTF-32 (little-endian, by its byte order mark)';
  if (starts(0, 0, 0xfe, 0xff)) return 'UTF-32 (big-endian, by its byte order mark)';
  if (starts(0xff, 0xfe)) return 'UTF-16 (little-endian, by its byte order mark)';
  if (starts(0xfe, 0xff)) return 'UTF-16 (big-endian, by its byte order mark)';
  const sample = bytes.subarray(0, 512);
  const nulsAt = (parity: number) => sample.filter((byte, i) => i % 2 === parity && byte === 0).length;
  const half = sample.length / 2;
  if (half >= 2 && nulsAt(1) >= half * 0.8) return 'UTF-16 (little-endian, by its NUL bytes)';
  if (half >= 2 && nulsAt(0) >= half * 0.8) return 'UTF-16 (big-endian, by its NUL bytes)';
  return undefined;
}

/** The offset of the first byte that does not belong to a well-formed UTF-8 sequence; -1 when there is none. */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  for (let i = 0; i < bytes.length; ) {
    const lead = bytes[i];
    const length = lead < 0x80 ? 1 : lead >= 0xc2 && lead <= 0xdf ? 2 : lead >= 0xe0 && lead <= 0xef ? 3 : lead >= 0xf0 && lead <= 0xf4 ? 4 : 0;
    if (length === 0 || i + length > bytes.length) return i;
    for (let k = 1; k < length; k++) if ((bytes[i + k] & 0xc0) !== 0x80) return i;
    const second = bytes[i + 1];
    // Overlong forms, UTF-16 surrogates and code points beyond U+10FFFF.
    if ((lead === 0xe0 && second < 0xa0) || (lead === 0xed && second > 0x9f) || (lead === 0xf0 && second < 0x90) || (lead === 0xf4 && second > 0x8f)) return i;
    i += length;
  }
  return -1;
}

function lineAt(bytes: Buffer, offset: number): number {
  return bytes.subarray(0, offset).filter((byte) => byte === 0x0a).length + 1;
}
