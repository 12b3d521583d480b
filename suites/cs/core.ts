import { defineCase, type CaseDefinition } from '../../src/scenario';
import { SmartCharging, expectComposite, getProfiles } from '../lib/smartcharging';

const BOTH = ['1.6', '2.0.1'] as const;

export const coreCases: CaseDefinition[] = [
  defineCase({
    id: 'SC-X-02',
    title: 'Decimal-safe validation: one-decimal limits accepted',
    ocpp: [...BOTH],
    as: 'csms',
    requirements: ['1.6 §7.14', 'rules §8'],
    tags: ['decimals'],
    async run(t) {
      const sc = new SmartCharging(t);
      const limits = [0.3, 8.1, 16.7, 6];
      for (const [i, limit] of limits.entries()) {
        await t.step(`Set TxDefault with limit ${limit}`, () =>
          sc.install(1, { id: 1100 + i, stackLevel: i, purpose: 'TxDefault', periods: [[0, limit]], duration: 600 }),
        );
      }
      await t.step('composite reports the values unchanged', () => expectComposite(sc, 1, 300, 'A'));
    },
  }),
  defineCase({
    id: 'SC-16-07',
    octtId: 'TC_072_CS',
    title: 'Stacking: stackLevel 1 over 0 with fall-back (worked example B)',
    ocpp: ['1.6'],
    as: 'csms',
    requirements: ['1.6 §3.13.2'],
    needs: { maxStackLevel: 1, maxProfiles: 2, periodsPerSchedule: 3 },
    async run(t) {
      const sc = new SmartCharging(t);
      const t0 = t.now();
      await sc.install(1, { id: 1201, stackLevel: 0, purpose: 'TxDefault', periods: [[0, 6], [100, 8], [200, 10]], duration: 400, startSchedule: t0 });
      await sc.install(1, { id: 1202, stackLevel: 1, purpose: 'TxDefault', periods: [[0, 7], [100, 9]], duration: 150, startSchedule: t0 });
      await expectComposite(sc, 1, 350, 'A', { rule: 'TC_072_CS' });
    },
  }),
  defineCase({
    id: 'SC-201-07',
    octtId: 'TC_K_29_CS',
    title: 'Bulk install and GetChargingProfiles pagination with tbc',
    ocpp: ['2.0.1'],
    as: 'csms',
    requirements: ['K09.FR.01', 'K09.FR.03', 'K01.FR.01'],
    tags: ['pagination'],
    async run(t) {
      const sc = new SmartCharging(t);
      const n = Math.min(t.caps.maxProfiles, 12);
      for (let i = 0; i < n; i++) {
        const evse = i % (t.caps.evses + 1);
        await sc.install(evse, { id: 2000 + i, stackLevel: i % (t.caps.maxStackLevel + 1), purpose: evse === 0 ? (i % 2 ? 'Max' : 'TxDefault') : 'TxDefault', periods: [[0, 6 + (i % 10)]], duration: 3600 + i });
      }
      await t.step('all profiles, no evseId', () => getProfiles(sc, { chargingProfile: { chargingLimitSource: ['CSO'] } }));
      await t.step('EVSE 1 only', () => getProfiles(sc, { evseId: 1, chargingProfile: {} }));
      await t.step('nothing matches → NoProfiles', () => getProfiles(sc, { chargingProfile: { chargingProfileId: [999999] } }));
    },
  }),
];
