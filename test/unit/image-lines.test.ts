import { parseKeyValueLines, parseLines, parseList } from '../../src/image/lines';

describe('image input text', () => {
  it('reads lines, skipping blanks and comments', () => {
    expect(parseLines(' a \n\n# no\r\ntype=registry,ref=x\n')).toEqual(['a', 'type=registry,ref=x']);
    expect(parseLines(undefined)).toEqual([]);
  });

  it('reads tags from lines or commas', () => {
    expect(parseList('latest, prod\nstaging,,')).toEqual(['latest', 'prod', 'staging']);
  });

  it('reads KEY=VALUE lines, the value being everything after the first =', () => {
    expect(parseKeyValueLines('A=1\nB=x=y\nC=\n', 'build-args')).toEqual({ values: { A: '1', B: 'x=y', C: '' }, problems: [] });
  });

  it('names the input for a line without a key', () => {
    expect(parseKeyValueLines('A=1\n=2\n\nplain', 'labels').problems).toEqual(['labels: line 2 is not KEY=VALUE (no KEY before the =).', 'labels: line 4 is not KEY=VALUE (no =).']);
  });
});
