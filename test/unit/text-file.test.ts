import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { firstInvalidUtf8, readTextFile } from '../../src/inputs/text-file';
import { problemsOf } from '../support/problems';

const dir = mkdtempSync(join(tmpdir(), 'ecs-ship-text-'));
const file = (name: string, bytes: Buffer | string) => {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return path;
};

describe('a file an input names', () => {
  test('given UTF-8, with or without a byte order mark, it is read as written', () => {
    expect(readTextFile(file('plain.env', 'NOTE=café ✓ 🚀\n'), 'vars-file')).toBe('NOTE=café ✓ 🚀\n');
    expect(readTextFile(file('bom.env', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('A=1')])), 'vars-file')).toBe('A=1');
  });

  test('given Latin-1, the problem names the input, the file and the line of the first byte that is not UTF-8', () => {
    const path = file('latin1.env', Buffer.from('A=1\nB=2\nNOTE=caf\xe9\n', 'latin1'));
    expect(problemsOf(() => readTextFile(path, 'vars-file'))).toEqual([`vars-file: ${path}:3: not UTF-8 (probably Latin-1 or Windows-1252). Expected UTF-8: save the file as UTF-8.`]);
  });

  test.each([
    ['UTF-16 with a byte order mark', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('cluster: prod\n', 'utf16le')]), 'UTF-16 (little-endian, by its byte order mark)'],
    ['UTF-16 big-endian with a byte order mark', Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from('cluster: prod\n', 'utf16le').swap16()]), 'UTF-16 (big-endian, by its byte order mark)'],
    ['UTF-16 without one', Buffer.from('cluster: prod\n', 'utf16le'), 'UTF-16 (little-endian, by its NUL bytes)'],
  ])('given %s, the problem says so', (_, bytes, found) => {
    const path = file('utf16.yml', bytes);
    expect(problemsOf(() => readTextFile(path, 'config'))).toEqual([`config: ${path}:1: the file is ${found}. Expected UTF-8: save it as UTF-8.`]);
  });

  test('given a FIFO, a device or a directory, the problem comes at once: none is read', () => {
    const fifo = join(dir, 'fifo.yml');
    execFileSync('mkfifo', [fifo]);
    expect(problemsOf(() => readTextFile(fifo, 'config'))).toEqual([`config: ${fifo} is not a regular file (it is a FIFO (named pipe)). Expected a file.`]);
    expect(problemsOf(() => readTextFile('/dev/zero', 'task-definition'))).toEqual(['task-definition: /dev/zero is not a regular file (it is a character device). Expected a file.']);
    expect(problemsOf(() => readTextFile(dir, 'vars-file'))).toEqual([`vars-file: ${dir} is not a regular file (it is a directory). Expected a file.`]);
  });

  test.each([
    ['an overlong form', [0x41, 0xc0, 0xaf], 1],
    ['a surrogate', [0xed, 0xa0, 0x80], 0],
    ['a sequence cut short at the end', [0x41, 0x42, 0xe2, 0x82], 2],
    ['a lone continuation byte', [0x80], 0],
    ['beyond U+10FFFF', [0xf4, 0x90, 0x80, 0x80], 0],
  ])('%s is not UTF-8', (_, bytes, at) => {
    expect(firstInvalidUtf8(Uint8Array.from(bytes))).toBe(at);
  });

  test('any well-formed text is UTF-8', () => {
    expect(firstInvalidUtf8(Buffer.from('a\u00e9\u20ac\u{1f680}\u{10ffff}\ud7ff\ue000'))).toBe(-1);
  });
});
