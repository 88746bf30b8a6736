// The one switch between the two ways the suites get their fixtures and clients, read from
// STRESS_MOCKS:
//
// - `light` (the default): plain in-memory fakes created once per test file and reset before each
//   test; fixtures are generated on demand from a seed and not kept.
// - `heavy`: how the suites used to be written, kept to reproduce the memory problem. Every
//   beforeEach builds a fresh graph of jest.fn() mocks: one per fixture patient returning its full
//   record (mockReturnValue), canned async lookups (mockResolvedValue), and the clients' methods
//   wrapped in jest.fn() so that every call's arguments and results are recorded. Nothing ever
//   cleared or restored those mocks, and each graph stayed reachable from the file's shared
//   fixtures, so mock.calls, mock.results and the records they hold piled up test after test.
//   `retainedGraphs` keeps exactly that reachability. The data returned is the same as in light
//   mode, so the tests pass either way; only the memory differs.

import type { FakeDataClient } from './data-client';
import type { FakeVoiceClient } from './voice-client';
import { KB_CLINICS, kbClinic, type KbClinicSeed } from './kb-dataset';
import { generatePatient, type PatientProfile } from './people';

export type MockMode = 'light' | 'heavy';

export function mockModeFrom(value: string | undefined): MockMode {
  if (value === undefined || value === '' || value === 'light') return 'light';
  if (value === 'heavy') return 'heavy';
  throw new Error(`STRESS_MOCKS must be "light" or "heavy", not "${value}"`);
}

export const MOCK_MODE: MockMode = mockModeFrom(process.env.STRESS_MOCKS);

/** Where a suite gets its fixture data; the same data in both modes. */
export interface Fixtures {
  /** Patient number `index` of this pool's population. */
  patient(index: number): PatientProfile;
  /** Like `patient`, as the old suites looked records up: asynchronously. */
  lookupPatient(index: number): Promise<PatientProfile>;
  /** The knowledge base seed of one of the labelled clinics. */
  kbClinic(key: string): KbClinicSeed;
}

export function lightFixtures(seed: number): Fixtures {
  return {
    patient: (index) => generatePatient(seed, index),
    lookupPatient: async (index) => generatePatient(seed, index),
    kbClinic,
  };
}

/** How big one heavy graph is: the fixture population the old suites mocked up front. */
export const HEAVY_PATIENTS = 220;

interface HeavyGraph {
  patients: Array<jest.Mock<PatientProfile, []>>;
  lookups: Array<jest.Mock<Promise<PatientProfile>, []>>;
  kb: Map<string, jest.Mock<KbClinicSeed, []>>;
  clients: Record<string, jest.Mock>;
}

const retainedGraphs: HeavyGraph[] = [];

/** How many heavy graphs this test file has built so far. */
export function heavyGraphCount(): number {
  return retainedGraphs.length;
}

export function heavyFixtures(seed: number): Fixtures {
  const graph: HeavyGraph = { patients: [], lookups: [], kb: new Map(), clients: {} };
  for (let i = 0; i < HEAVY_PATIENTS; i++) {
    const record = generatePatient(seed, i);
    graph.patients.push(jest.fn<PatientProfile, []>().mockReturnValue(record));
    // The old suites stubbed the async lookup with its own deep copy of the record.
    graph.lookups.push(jest.fn<Promise<PatientProfile>, []>().mockResolvedValue(structuredClone(record)));
  }
  for (const c of KB_CLINICS) graph.kb.set(c.key, jest.fn<KbClinicSeed, []>().mockReturnValue(structuredClone(c)));
  retainedGraphs.push(graph);
  return {
    patient: (index) => (index < HEAVY_PATIENTS ? graph.patients[index]() : generatePatient(seed, index)),
    lookupPatient: (index) => (index < HEAVY_PATIENTS ? graph.lookups[index]() : Promise.resolve(generatePatient(seed, index))),
    kbClinic: (key) => {
      const mock = graph.kb.get(key);
      if (!mock) throw new Error(`no knowledge base for ${key}`);
      return mock();
    },
  };
}

/** The clients with every method wrapped in a recording jest.fn(), attached to the newest graph. */
export function heavyClients(db: FakeDataClient, voice: FakeVoiceClient): { db: FakeDataClient; voice: FakeVoiceClient } {
  const graph = retainedGraphs[retainedGraphs.length - 1];
  const wrap = <A extends unknown[], R>(name: string, impl: (...args: A) => R): ((...args: A) => R) => {
    const mock = jest.fn(impl);
    graph.clients[name] = mock as unknown as jest.Mock;
    return mock;
  };
  const heavyDb: FakeDataClient = {
    from: wrap('db.from', (table: string) => db.from(table)) as FakeDataClient['from'],
    get calls() {
      return db.calls;
    },
    count: wrap('db.count', (table: string) => db.count(table)),
    reset: wrap('db.reset', () => db.reset()),
  };
  const heavyVoice: FakeVoiceClient = {
    assistants: {
      create: wrap('voice.assistants.create', voice.assistants.create),
      get: wrap('voice.assistants.get', voice.assistants.get),
    },
    calls: {
      create: wrap('voice.calls.create', voice.calls.create),
      get: wrap('voice.calls.get', voice.calls.get),
      list: wrap('voice.calls.list', voice.calls.list),
    },
    webhooks: { subscribe: wrap('voice.webhooks.subscribe', voice.webhooks.subscribe) },
    simulate: {
      answer: wrap('voice.simulate.answer', voice.simulate.answer),
      say: wrap('voice.simulate.say', voice.simulate.say),
      toolCall: wrap('voice.simulate.toolCall', voice.simulate.toolCall),
      hangUp: wrap('voice.simulate.hangUp', voice.simulate.hangUp),
    },
    get requests() {
      return voice.requests;
    },
    get deliveries() {
      return voice.deliveries;
    },
    reset: wrap('voice.reset', () => voice.reset()),
  };
  return { db: heavyDb, voice: heavyVoice };
}
