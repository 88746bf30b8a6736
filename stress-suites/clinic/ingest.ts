// Storing what callers said: end-of-call transcripts from the voice platform and inbound SMS are
// redacted before they are written, and every removal is recorded in the clinic's PII audit trail
// (what kind, where, when; never the value). Both are idempotent: the platform retries webhooks, and
// a retry neither stores a second copy nor writes a second set of audit rows.

import type { Clock } from './clock';
import { UNIQUE_VIOLATION, type DataClient } from './db';
import type { PatientRow } from './booking';
import { DataAccessError } from './errors';
import { redact, type Finding, type PatientIdentity, type PiiKind } from './redaction';
import { ClinicScope, type ClinicRow } from './scope';
import type { VoiceEvent } from './voice';

export type PiiSource = 'voice' | 'sms';

export type PiiAuditRow = {
  id: string;
  clinic_id: string;
  source: PiiSource;
  /** The call id or SMS message id. */
  source_id: string;
  /** Index of the transcript message (0 for an SMS). */
  part: number;
  kind: PiiKind;
  /** Offsets into the original text of that part, `end` exclusive. */
  start: number;
  end: number;
  at: string;
};

export type TranscriptRow = {
  id: string;
  clinic_id: string;
  call_id: string;
  patient_id: string | null;
  /** Redacted, one `Role: text` line per message. */
  body: string;
  messages: number;
  redacted_at: string;
};

export type SmsRow = {
  id: string;
  clinic_id: string;
  message_id: string;
  patient_id: string | null;
  body: string;
  received_at: string;
};

export type IngestResult =
  | { stored: true; id: string; findings: number }
  | { stored: false; reason: 'duplicate'; id: string }
  | { stored: false; reason: 'ignored' };

function identityOf(patient: PatientRow | null): PatientIdentity | null {
  return patient ? { firstName: patient.first_name, lastName: patient.last_name, dob: patient.dob } : null;
}

export class PiiIngest {
  constructor(
    private readonly db: DataClient,
    private readonly clock: Clock,
  ) {}

  /** The webhook handler for the voice platform: acts on end-of-call reports, ignores the rest. */
  readonly handleVoiceEvent = async (event: VoiceEvent): Promise<IngestResult> => {
    if (event.message.type !== 'end-of-call-report') return { stored: false, reason: 'ignored' };
    const { call, artifact } = event.message;
    const clinicId = call.metadata.clinicId;
    if (!clinicId) throw new Error(`call ${call.id} was not routed to a clinic`);
    const scope = new ClinicScope(this.db, clinicId);
    const patientId = call.metadata.patientId ?? null;
    const patient = patientId ? await scope.get<PatientRow>('patients', patientId) : null;
    const identity = identityOf(patient);

    const at = this.clock.iso();
    const lines: string[] = [];
    const audit: Array<Partial<PiiAuditRow>> = [];
    artifact.messages.forEach((m, part) => {
      const r = redact(m.message, identity);
      lines.push(`${m.role === 'user' ? 'User' : 'AI'}: ${r.text}`);
      for (const f of r.findings) audit.push(auditRow('voice', call.id, part, f, at));
    });
    const { data, error } = await scope
      .insert<TranscriptRow>('transcripts', {
        call_id: call.id,
        patient_id: patientId,
        body: lines.join('\n'),
        messages: artifact.messages.length,
        redacted_at: at,
      })
      .select('id')
      .single();
    if (error?.code === UNIQUE_VIOLATION) return this.duplicate(scope, 'transcripts', 'call_id', call.id);
    if (error) throw new DataAccessError('store transcript', error);
    await this.writeAudit(scope, audit);
    return { stored: true, id: data!.id, findings: audit.length };
  };

  async ingestSms(input: { clinicId: string; messageId: string; body: string; patientId?: string | null }): Promise<IngestResult> {
    const scope = new ClinicScope(this.db, input.clinicId);
    const patientId = input.patientId ?? null;
    const patient = patientId ? await scope.get<PatientRow>('patients', patientId) : null;
    const at = this.clock.iso();
    const r = redact(input.body, identityOf(patient));
    const { data, error } = await scope
      .insert<SmsRow>('sms_messages', { message_id: input.messageId, patient_id: patientId, body: r.text, received_at: at })
      .select('id')
      .single();
    if (error?.code === UNIQUE_VIOLATION) return this.duplicate(scope, 'sms_messages', 'message_id', input.messageId);
    if (error) throw new DataAccessError('store sms', error);
    await this.writeAudit(
      scope,
      r.findings.map((f) => auditRow('sms', input.messageId, 0, f, at)),
    );
    return { stored: true, id: data!.id, findings: r.findings.length };
  }

  /** The audit trail of one call or message, in order of part and offset. */
  async auditTrail(clinicId: string, sourceId: string): Promise<PiiAuditRow[]> {
    const scope = new ClinicScope(this.db, clinicId);
    const rows = await scope.all(scope.select<PiiAuditRow>('pii_audit').eq('source_id', sourceId), 'audit trail');
    return rows.sort((a, b) => a.part - b.part || a.start - b.start);
  }

  private async writeAudit(scope: ClinicScope, rows: Array<Partial<PiiAuditRow>>): Promise<void> {
    if (rows.length === 0) return;
    const { error } = await scope.insert<PiiAuditRow>('pii_audit', rows);
    if (error) throw new DataAccessError('write pii audit', error);
  }

  private async duplicate(scope: ClinicScope, table: string, column: string, value: string): Promise<IngestResult> {
    const { data, error } = await scope.select<ClinicRow>(table, 'id, clinic_id').eq(column, value).maybeSingle();
    if (error) throw new DataAccessError(`read ${table}`, error);
    // Not under this clinic: the same id was stored by another clinic, which this one may not see.
    if (!data) throw new DataAccessError(`store ${table}`, { code: UNIQUE_VIOLATION, message: 'duplicate', details: null, hint: null });
    return { stored: false, reason: 'duplicate', id: data.id };
  }
}

function auditRow(source: PiiSource, sourceId: string, part: number, f: Finding, at: string): Partial<PiiAuditRow> {
  return { source, source_id: sourceId, part, kind: f.kind, start: f.start, end: f.end, at };
}
