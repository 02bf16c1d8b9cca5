import { selectRevisions } from '../../src/plan/prune-selection';

const arn = (key: string) => `arn:aws:ecs:us-east-1:123456789012:task-definition/${key}`;
const web = (...revisions: number[]) => revisions.map((r) => arn(`web:${r}`));

describe('which revisions keep-revisions deregisters', () => {
  test('given six revisions and keep 2, the newest two stay and the four older go, newest first', () => {
    const selection = selectRevisions({ family: 'web', keep: 2, active: web(1, 2, 3, 4, 5, 6), inUse: [] });
    expect(selection.newest).toEqual(web(6, 5));
    expect(selection.deregister).toEqual(web(4, 3, 2, 1));
  });

  test('given the list in any order, the revision number decides what is newest (web:10 is newer than web:9)', () => {
    const selection = selectRevisions({ family: 'web', keep: 1, active: web(9, 10, 2), inUse: [] });
    expect(selection.newest).toEqual(web(10));
    expect(selection.deregister).toEqual(web(9, 2));
  });

  test('revisions of another family that a familyPrefix match listed are never touched', () => {
    const selection = selectRevisions({ family: 'web', keep: 1, active: [...web(1, 2), arn('web-worker:7'), arn('webapp:3')], inUse: [] });
    expect(selection.deregister).toEqual(web(1));
  });

  test('a revision in use stays, with every reason, whether named by ARN or by family:revision', () => {
    const selection = selectRevisions({
      family: 'web',
      keep: 1,
      active: web(1, 2, 3, 4),
      inUse: [
        { arn: arn('web:2'), why: 'service api runs it' },
        { arn: 'web:2', why: 'a scheduled task targets it' },
        { arn: 'web:1', why: 'what a rollback would go back to' },
      ],
    });
    expect(selection.deregister).toEqual(web(3));
    expect(selection.inUse).toEqual([
      { arn: arn('web:2'), why: 'service api runs it; a scheduled task targets it' },
      { arn: arn('web:1'), why: 'what a rollback would go back to' },
    ]);
  });

  test('with a revision still to be registered (a dry run), it takes one of the places', () => {
    const selection = selectRevisions({ family: 'web', keep: 2, active: web(1, 2, 3), inUse: [], newRevisionPending: true });
    expect(selection.newest).toEqual(web(3));
    expect(selection.deregister).toEqual(web(2, 1));
  });

  test('fewer revisions than keep: nothing goes', () => {
    expect(selectRevisions({ family: 'web', keep: 5, active: web(1, 2), inUse: [] }).deregister).toEqual([]);
  });
});
