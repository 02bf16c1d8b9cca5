import { GetParametersCommand, LabelParameterVersionCommand, PutParameterCommand } from '@aws-sdk/client-ssm';
import { useSimulator } from './helpers';

// SSM API reference, GetParameters: "To query by parameter label, use "Name": "name:label". To query by
// parameter version, use "Name": "name:version"." LabelParameterVersion: a label is on one version of a
// parameter at a time and moves when attached to another; "Labels can't begin with a number, "aws" or
// "ssm" ... the system displays it in the list of InvalidLabels".

describe('simulator: SSM parameter versions and labels', () => {
  const ctx = useSimulator();
  const ARN = 'arn:aws:ssm:us-east-1:123456789012:parameter/prod/db-password';

  async function givenThreeVersions() {
    await ctx.ssm.send(new PutParameterCommand({ Name: '/prod/db-password', Value: 'pw1', Type: 'SecureString' }));
    for (const value of ['pw2', 'pw3']) await ctx.ssm.send(new PutParameterCommand({ Name: '/prod/db-password', Value: value, Overwrite: true }));
  }
  const get = (...Names: string[]) => ctx.ssm.send(new GetParametersCommand({ Names, WithDecryption: true }));

  it('answers name:version and ARN:version with that version and its selector; a version that never was is invalid', async () => {
    await givenThreeVersions();
    const answer = await get('/prod/db-password:1', `${ARN}:2`, '/prod/db-password', '/prod/db-password:4');
    expect(answer.Parameters!.map((p) => [p.Name, p.Selector, p.Version, p.Value, p.ARN])).toEqual([
      ['/prod/db-password', ':1', 1, 'pw1', ARN],
      ['/prod/db-password', ':2', 2, 'pw2', ARN],
      ['/prod/db-password', undefined, 3, 'pw3', ARN],
    ]);
    expect(answer.InvalidParameters).toEqual(['/prod/db-password:4']);
  });

  it('answers name:label with the version the label is on, and follows the label when it moves', async () => {
    await givenThreeVersions();
    expect(await ctx.ssm.send(new LabelParameterVersionCommand({ Name: '/prod/db-password', ParameterVersion: 1, Labels: ['stable'] }))).toMatchObject({ ParameterVersion: 1, InvalidLabels: [] });
    expect((await get('/prod/db-password:stable')).Parameters![0]).toMatchObject({ Selector: ':stable', Version: 1, Value: 'pw1' });

    await ctx.ssm.send(new LabelParameterVersionCommand({ Name: '/prod/db-password', Labels: ['stable'] }));
    expect((await get(`${ARN}:stable`)).Parameters![0]).toMatchObject({ Version: 3, Value: 'pw3' });
    expect((await get('/prod/db-password:canary')).InvalidParameters).toEqual(['/prod/db-password:canary']);
  });

  it('refuses labels that begin with a number, aws or ssm (InvalidLabels), and versions or parameters that do not exist', async () => {
    await givenThreeVersions();
    const labelled = await ctx.ssm.send(new LabelParameterVersionCommand({ Name: '/prod/db-password', Labels: ['1st', 'AWS-current', 'ssm', 'ok_label'] }));
    expect(labelled.InvalidLabels).toEqual(['1st', 'AWS-current', 'ssm']);
    await expect(ctx.ssm.send(new LabelParameterVersionCommand({ Name: '/prod/db-password', ParameterVersion: 9, Labels: ['x'] }))).rejects.toMatchObject({ name: 'ParameterVersionNotFound' });
    await expect(ctx.ssm.send(new LabelParameterVersionCommand({ Name: '/prod/none', Labels: ['x'] }))).rejects.toMatchObject({ name: 'ParameterNotFound' });
  });
});
