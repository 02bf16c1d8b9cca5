import { diffLines } from '../../src/taskdef/diff';

const lines = (...items: string[]) => items.join('\n') + '\n';

describe('diffLines', () => {
  it('is empty when nothing changed', () => {
    expect(diffLines(lines('a', 'b'), lines('a', 'b'))).toBe('');
    expect(diffLines('', '')).toBe('');
  });

  it('shows a changed line with up to three lines of context', () => {
    const before = lines('1', '2', '3', '4', '5', '6', '7', '8', '9');
    const after = lines('1', '2', '3', '4', 'five', '6', '7', '8', '9');
    expect(diffLines(before, after)).toBe(lines('@@ -2,7 +2,7 @@', ' 2', ' 3', ' 4', '-5', '+five', ' 6', ' 7', ' 8'));
  });

  it('splits distant changes into hunks and merges close ones', () => {
    const before = lines(...'abcdefghijklmnopqrst'.split(''));
    const after = lines(...'aBcdefghijklmnopqrsT'.split(''));
    expect(diffLines(before, after, 1)).toBe(lines('@@ -1,3 +1,3 @@', ' a', '-b', '+B', ' c', '@@ -19,2 +19,2 @@', ' s', '-t', '+T'));
    const close = lines(...'aBcDefghijklmnopqrst'.split(''));
    expect(diffLines(before, close, 1).match(/@@/g)).toHaveLength(2);
  });

  it('finds insertions and deletions by longest common subsequence', () => {
    expect(diffLines(lines('a', 'b', 'c'), lines('a', 'x', 'c', 'd'), 0)).toBe(lines('@@ -2,1 +2,1 @@', '-b', '+x', '@@ -3,0 +4,1 @@', '+d'));
    expect(diffLines(lines('a', 'b'), '', 0)).toBe(lines('@@ -1,2 +0,0 @@', '-a', '-b'));
    expect(diffLines('', lines('a'))).toBe(lines('@@ -0,0 +1,1 @@', '+a'));
  });

  it('keeps a moved line as one deletion and one insertion', () => {
    const diff = diffLines(lines('a', 'b', 'c', 'd'), lines('b', 'c', 'd', 'a'));
    expect(diff.split('\n').filter((line) => /^[-+]/.test(line))).toEqual(['-a', '+a']);
  });
});
