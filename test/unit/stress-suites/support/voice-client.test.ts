// The in-memory voice platform: calls, transcripts, webhooks and their records.
import { createFakeClock } from '../../../../stress-suites/support/clock';
import { createFakeVoiceClient, renderTranscript, VoiceApiError, type VoiceEvent } from '../../../../stress-suites/support/voice-client';

function setup() {
  const clock = createFakeClock();
  return { clock, voice: createFakeVoiceClient({ clock }) };
}

test('a call goes queued → in-progress → ended, with its transcript in the end-of-call report', async () => {
  const { clock, voice } = setup();
  const events: VoiceEvent[] = [];
  voice.webhooks.subscribe((e) => {
    events.push(e);
  });
  const assistant = await voice.assistants.create({ name: 'desk', metadata: { clinicId: 'c1' } });
  const call = await voice.calls.create({ assistantId: assistant.id, customer: { number: '+14155550100' }, metadata: { clinicId: 'c1' } });
  await voice.simulate.answer(call.id);
  clock.advance(2000);
  voice.simulate.say(call.id, 'user', 'Hello');
  clock.advance(1500);
  voice.simulate.say(call.id, 'assistant', 'Hi there');
  await voice.simulate.hangUp(call.id);

  expect(events.map((e) => e.message.type)).toEqual(['status-update', 'end-of-call-report']);
  const report = events[1].message;
  if (report.type !== 'end-of-call-report') throw new Error('expected a report');
  expect(report.artifact.transcript).toBe('User: Hello\nAI: Hi there');
  expect(report.artifact.messages.map((m) => m.secondsFromStart)).toEqual([2, 3.5]);
  expect((await voice.calls.get(call.id)).status).toBe('ended');
  expect(renderTranscript([])).toBe('');
});

test('tool calls return every handler’s answer; a failing handler is recorded, not thrown', async () => {
  const { voice } = setup();
  voice.webhooks.subscribe((e) => (e.message.type === 'tool-calls' ? { results: [{ toolCallId: e.message.toolCallList[0].id, result: 'ok' }] } : undefined));
  voice.webhooks.subscribe(() => {
    throw new Error('endpoint down');
  });
  const assistant = await voice.assistants.create({ name: 'desk' });
  const call = await voice.calls.create({ assistantId: assistant.id, customer: { number: '+1' } });
  await voice.simulate.answer(call.id);
  const results = await voice.simulate.toolCall(call.id, 'book_appointment', { slotId: 's1' });

  expect(results).toEqual([{ results: [{ toolCallId: 'tool_00000003', result: 'ok' }] }, undefined]);
  expect(voice.deliveries.map((d) => [d.type, d.ok, d.error])).toEqual([
    ['status-update', true, null],
    ['status-update', false, 'endpoint down'],
    ['tool-calls', true, null],
    ['tool-calls', false, 'endpoint down'],
  ]);
});

test('wrong states and unknown ids are API errors', async () => {
  const { voice } = setup();
  await expect(voice.calls.get('call_x')).rejects.toBeInstanceOf(VoiceApiError);
  await expect(voice.calls.create({ assistantId: 'asst_x', customer: { number: '+1' } })).rejects.toMatchObject({ statusCode: 400 });
  const assistant = await voice.assistants.create({ name: 'desk' });
  const call = await voice.calls.create({ assistantId: assistant.id, customer: { number: '+1' } });
  expect(() => voice.simulate.say(call.id, 'user', 'too early')).toThrow(VoiceApiError);
  await voice.simulate.answer(call.id);
  await voice.simulate.hangUp(call.id);
  await expect(voice.simulate.hangUp(call.id)).rejects.toMatchObject({ statusCode: 409 });
});

test('objects handed out are copies, and reset forgets calls, handlers and records', async () => {
  const { voice } = setup();
  let delivered = 0;
  voice.webhooks.subscribe(() => delivered++);
  const assistant = await voice.assistants.create({ name: 'desk' });
  const call = await voice.calls.create({ assistantId: assistant.id, customer: { number: '+1' } });
  call.metadata.clinicId = 'tampered';
  expect((await voice.calls.get(call.id)).metadata).toEqual({});

  voice.reset();
  expect([voice.requests.length, voice.deliveries.length, (await voice.calls.list()).length]).toEqual([0, 0, 0]);
  const again = await voice.assistants.create({ name: 'desk' });
  const c2 = await voice.calls.create({ assistantId: again.id, customer: { number: '+1' } });
  await voice.simulate.answer(c2.id);
  expect(delivered).toBe(0);
});
