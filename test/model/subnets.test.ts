import { planSubnets } from '../../model/subnets';

describe('planSubnets', () => {
  it('GIVEN a /16 over three AZs WHEN planned THEN private /18s and public /20s from the last quarter, none overlapping', () => {
    expect(planSubnets('10.40.0.0/16', ['eu-west-1a', 'eu-west-1b', 'eu-west-1c'])).toEqual([
      { availabilityZone: 'eu-west-1a', privateCidr: '10.40.0.0/18', publicCidr: '10.40.192.0/20' },
      { availabilityZone: 'eu-west-1b', privateCidr: '10.40.64.0/18', publicCidr: '10.40.208.0/20' },
      { availabilityZone: 'eu-west-1c', privateCidr: '10.40.128.0/18', publicCidr: '10.40.224.0/20' },
    ]);
  });

  it('GIVEN a /20 over six AZs WHEN planned THEN eighths hold the private subnets and the public ones fit in the last', () => {
    const plan = planSubnets('10.0.0.0/20', ['a1a', 'a1b', 'a1c', 'a1d', 'a1e', 'a1f']);
    expect(plan.map((p) => p.privateCidr)).toEqual(['10.0.0.0/23', '10.0.2.0/23', '10.0.4.0/23', '10.0.6.0/23', '10.0.8.0/23', '10.0.10.0/23']);
    expect(plan.map((p) => p.publicCidr)).toEqual(['10.0.14.0/26', '10.0.14.64/26', '10.0.14.128/26', '10.0.14.192/26', '10.0.15.0/26', '10.0.15.64/26']);
  });

  it('GIVEN an invalid CIDR WHEN planned THEN it throws naming it', () => {
    expect(() => planSubnets('10.0.0.0/33', ['a'])).toThrow('invalid VPC CIDR 10.0.0.0/33');
  });
});
