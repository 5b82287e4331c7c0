import { buildKubeconfig } from '../../infra/kubeconfig';

describe('buildKubeconfig', () => {
  it('GIVEN a cluster WHEN building the kubeconfig THEN it authenticates with aws eks get-token and holds no token', () => {
    const k = buildKubeconfig({ clusterName: 'c1', endpoint: 'https://E.gr7.eu-west-1.eks.amazonaws.com', certificateAuthorityData: 'Q0E=', region: 'eu-west-1' });
    expect(k['current-context']).toBe('c1');
    expect(k.clusters).toEqual([{ name: 'c1', cluster: { server: 'https://E.gr7.eu-west-1.eks.amazonaws.com', 'certificate-authority-data': 'Q0E=' } }]);
    expect(JSON.stringify(k)).not.toContain('"token"');
    expect((k.users as { user: { exec: { args: string[] } } }[])[0].user.exec.args).toEqual(['eks', 'get-token', '--cluster-name', 'c1', '--region', 'eu-west-1', '--output', 'json']);
  });
});
