// An in-memory stand-in for the hosted voice-agent platform: assistants, phone calls with their
// transcripts, and the webhooks the platform sends to the clinic backend (status updates, tool
// calls the agent makes mid-call, and the end-of-call report carrying the transcript).
// `simulate` plays the caller and the phone network. Webhooks are delivered asynchronously, one
// handler after another, and every API request and delivery is recorded until `reset()`.

import type { Clock } from '../clinic/clock';
import type { CallMessage, CallStatus, Role, ToolCall, VoiceAssistant, VoiceCall, VoiceEvent } from '../clinic/voice';

export type { CallMessage, CallStatus, Role, ToolCall, VoiceAssistant, VoiceCall, VoiceEvent } from '../clinic/voice';

export type WebhookHandler = (event: VoiceEvent) => unknown;

export interface VoiceRequest {
  method: 'GET' | 'POST';
  path: string;
}

export interface WebhookDelivery {
  type: VoiceEvent['message']['type'];
  callId: string;
  ok: boolean;
  error: string | null;
}

export interface VoiceClient {
  assistants: {
    create(input: { name: string; metadata?: Record<string, string> }): Promise<VoiceAssistant>;
    get(id: string): Promise<VoiceAssistant>;
  };
  calls: {
    create(input: {
      assistantId: string;
      customer: { number: string };
      type?: VoiceCall['type'];
      metadata?: Record<string, string>;
    }): Promise<VoiceCall>;
    get(id: string): Promise<VoiceCall>;
    list(filter?: { assistantId?: string; limit?: number }): Promise<VoiceCall[]>;
  };
}

export interface FakeVoiceClient extends VoiceClient {
  webhooks: {
    /** Receive every event; returns a function that unsubscribes. */
    subscribe(handler: WebhookHandler): () => void;
  };
  simulate: {
    answer(callId: string): Promise<void>;
    say(callId: string, role: Role, text: string): void;
    /** The agent calls a tool; resolves to each handler's result, as the platform relays them. */
    toolCall(callId: string, name: string, args: Record<string, string>): Promise<unknown[]>;
    hangUp(callId: string, endedReason?: string): Promise<void>;
  };
  readonly requests: readonly VoiceRequest[];
  readonly deliveries: readonly WebhookDelivery[];
  reset(): void;
}

export class VoiceApiError extends Error {
  constructor(
    readonly statusCode: number,
    message: string,
  ) {
    super(message);
    this.name = 'VoiceApiError';
  }
}

const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

function copyCall(call: VoiceCall): VoiceCall {
  return {
    ...call,
    customer: { ...call.customer },
    metadata: { ...call.metadata },
    messages: call.messages.map((m) => ({ ...m })),
  };
}

/** The transcript as the platform renders it: one `Role: text` line per message. */
export function renderTranscript(messages: readonly CallMessage[]): string {
  return messages.map((m) => `${m.role === 'user' ? 'User' : 'AI'}: ${m.message}`).join('\n');
}

export function createFakeVoiceClient(options: { clock: Clock }): FakeVoiceClient {
  const { clock } = options;
  let assistants = new Map<string, VoiceAssistant>();
  let calls = new Map<string, VoiceCall>();
  let handlers: WebhookHandler[] = [];
  let requests: VoiceRequest[] = [];
  let deliveries: WebhookDelivery[] = [];
  let seq = 0;

  const nextId = (prefix: string): string => `${prefix}_${String(++seq).padStart(8, '0')}`;

  const callOrThrow = (id: string): VoiceCall => {
    const call = calls.get(id);
    if (!call) throw new VoiceApiError(404, `call ${id} not found`);
    return call;
  };

  const deliver = async (event: VoiceEvent): Promise<unknown[]> => {
    const results: unknown[] = [];
    for (const handler of handlers.slice()) {
      await tick();
      try {
        results.push(await handler(event));
        deliveries.push({ type: event.message.type, callId: event.message.call.id, ok: true, error: null });
      } catch (err) {
        deliveries.push({ type: event.message.type, callId: event.message.call.id, ok: false, error: err instanceof Error ? err.message : String(err) });
        results.push(undefined);
      }
    }
    return results;
  };

  return {
    assistants: {
      create: async (input) => {
        requests.push({ method: 'POST', path: '/assistant' });
        await tick();
        const assistant = { id: nextId('asst'), name: input.name, metadata: { ...(input.metadata ?? {}) } };
        assistants.set(assistant.id, assistant);
        return { ...assistant, metadata: { ...assistant.metadata } };
      },
      get: async (id) => {
        requests.push({ method: 'GET', path: `/assistant/${id}` });
        await tick();
        const a = assistants.get(id);
        if (!a) throw new VoiceApiError(404, `assistant ${id} not found`);
        return { ...a, metadata: { ...a.metadata } };
      },
    },
    calls: {
      create: async (input) => {
        requests.push({ method: 'POST', path: '/call' });
        await tick();
        if (!assistants.has(input.assistantId)) throw new VoiceApiError(400, `assistant ${input.assistantId} not found`);
        const call: VoiceCall = {
          id: nextId('call'),
          assistantId: input.assistantId,
          type: input.type ?? 'inboundPhoneCall',
          status: 'queued',
          customer: { ...input.customer },
          metadata: { ...(input.metadata ?? {}) },
          createdAt: clock.iso(),
          startedAt: null,
          endedAt: null,
          endedReason: null,
          messages: [],
        };
        calls.set(call.id, call);
        return copyCall(call);
      },
      get: async (id) => {
        requests.push({ method: 'GET', path: `/call/${id}` });
        await tick();
        return copyCall(callOrThrow(id));
      },
      list: async (filter = {}) => {
        requests.push({ method: 'GET', path: '/call' });
        await tick();
        const out: VoiceCall[] = [];
        for (const call of calls.values()) {
          if (filter.assistantId !== undefined && call.assistantId !== filter.assistantId) continue;
          out.push(copyCall(call));
          if (filter.limit !== undefined && out.length >= filter.limit) break;
        }
        return out;
      },
    },
    webhooks: {
      subscribe: (handler) => {
        handlers.push(handler);
        return () => {
          handlers = handlers.filter((h) => h !== handler);
        };
      },
    },
    simulate: {
      answer: async (callId) => {
        const call = callOrThrow(callId);
        if (call.status !== 'queued' && call.status !== 'ringing') throw new VoiceApiError(409, `call ${callId} is ${call.status}`);
        call.status = 'in-progress';
        call.startedAt = clock.iso();
        await deliver({ message: { type: 'status-update', status: call.status, call: copyCall(call) } });
      },
      say: (callId, role, text) => {
        const call = callOrThrow(callId);
        if (call.status !== 'in-progress') throw new VoiceApiError(409, `call ${callId} is ${call.status}`);
        const started = Date.parse(call.startedAt!);
        call.messages.push({ role, message: text, time: clock.now(), secondsFromStart: (clock.now() - started) / 1000 });
      },
      toolCall: async (callId, name, args) => {
        const call = callOrThrow(callId);
        if (call.status !== 'in-progress') throw new VoiceApiError(409, `call ${callId} is ${call.status}`);
        const toolCall: ToolCall = { id: nextId('tool'), type: 'function', function: { name, arguments: { ...args } } };
        return deliver({ message: { type: 'tool-calls', call: copyCall(call), toolCallList: [toolCall] } });
      },
      hangUp: async (callId, endedReason = 'customer-ended-call') => {
        const call = callOrThrow(callId);
        if (call.status === 'ended') throw new VoiceApiError(409, `call ${callId} already ended`);
        call.status = 'ended';
        call.endedAt = clock.iso();
        call.endedReason = endedReason;
        const snapshot = copyCall(call);
        await deliver({
          message: {
            type: 'end-of-call-report',
            call: snapshot,
            endedReason,
            artifact: { messages: snapshot.messages, transcript: renderTranscript(snapshot.messages) },
          },
        });
      },
    },
    get requests() {
      return requests;
    },
    get deliveries() {
      return deliveries;
    },
    reset: () => {
      assistants = new Map();
      calls = new Map();
      handlers = [];
      requests = [];
      deliveries = [];
      seq = 0;
    },
  };
}
