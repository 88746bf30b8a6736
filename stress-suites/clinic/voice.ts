// The voice-agent platform's objects and webhook payloads, as the clinic backend receives them.

export type Role = 'user' | 'assistant';

export interface CallMessage {
  role: Role;
  message: string;
  /** Epoch milliseconds. */
  time: number;
  secondsFromStart: number;
}

export type CallStatus = 'queued' | 'ringing' | 'in-progress' | 'ended';

export interface VoiceCall {
  id: string;
  assistantId: string;
  type: 'inboundPhoneCall' | 'outboundPhoneCall' | 'webCall';
  status: CallStatus;
  customer: { number: string };
  /** Set by the backend when it routes a call: clinicId, patientId. */
  metadata: Record<string, string>;
  createdAt: string;
  startedAt: string | null;
  endedAt: string | null;
  endedReason: string | null;
  messages: CallMessage[];
}

export interface VoiceAssistant {
  id: string;
  name: string;
  metadata: Record<string, string>;
}

export interface ToolCall {
  id: string;
  type: 'function';
  function: { name: string; arguments: Record<string, string> };
}

export type VoiceEvent =
  | { message: { type: 'status-update'; status: CallStatus; call: VoiceCall } }
  | { message: { type: 'tool-calls'; call: VoiceCall; toolCallList: ToolCall[] } }
  | {
      message: {
        type: 'end-of-call-report';
        call: VoiceCall;
        endedReason: string;
        artifact: { messages: CallMessage[]; transcript: string };
      };
    };

/** What the backend answers to a tool-calls webhook: one result per tool call. */
export interface ToolCallResponse {
  results: Array<{ toolCallId: string; result: string }>;
}
