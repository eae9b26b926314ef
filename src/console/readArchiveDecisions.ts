import type { Archive } from "../store/index.js";

/** One decision a node took: a verifier verdict or a key release. */
export type ArchivedDecision = {
  id: string;
  kind: "verdict" | "key-release";
  /** Milliseconds since the epoch. */
  at: number;
  accepted: boolean;
  /** ACCEPTED, or the code that refused it. */
  code: string;
  /** The verifier node, or the enclave a key was released to. */
  actor: string | null;
  claimsHash: string | null;
  message: string | null;
  evidenceId: string | null;
};

export type DecisionMinute = { minute: number; counts: Record<string, number> };
export type ArchiveDecisions = {
  from: number;
  to: number;
  minutes: DecisionMinute[];
  codes: string[];
  /** Decisions per code over everything read. */
  totals: Record<string, number>;
  /** The newest `rows` decisions (of `code` when given), for the table. */
  decisions: ArchivedDecision[];
  truncated: boolean;
};

/** Table rows sent per answer: the chart carries the totals, the table the newest ones (filter by code for more of one). */
export const DECISION_ROWS = 200;

/** Most records read per table for one answer (the archive's own list cap). */
export const MAX_DECISIONS_READ = 10_000;
const MINUTE_MS = 60_000;

/**
 * The Decisions page's data: the newest verdicts and key releases (at most MAX_DECISIONS_READ of each), bucketed per
 * minute by code (ACCEPTED or the refusal code) with totals per code, and the newest `rows` of them (of `code`
 * when given) for the table: the page gets a chart's worth of numbers, not 10,000 rows.
 */
export function readArchiveDecisions(archive: Archive, { code, rows = DECISION_ROWS }: { code?: string; rows?: number } = {}): ArchiveDecisions {
  const verdicts = archive.list("verdicts", { order: "desc", limit: MAX_DECISIONS_READ });
  const releases = archive.list("keyReleases", { order: "desc", limit: MAX_DECISIONS_READ });
  const decisions: ArchivedDecision[] = [
    ...verdicts.map((v): ArchivedDecision => {
      const refused = (v.payload as { refused?: { code?: string; message?: string } } | null)?.refused;
      return {
        id: v.id,
        kind: "verdict",
        at: v.recordedAt.getTime(),
        accepted: v.accepted,
        code: v.accepted ? "ACCEPTED" : (refused?.code ?? "VERDICT_REFUSED"),
        actor: v.verifier,
        claimsHash: v.claimsHash,
        message: refused?.message ?? null,
        evidenceId: v.evidenceId,
      };
    }),
    ...releases.map((r): ArchivedDecision => ({
      id: r.id,
      kind: "key-release",
      at: r.recordedAt.getTime(),
      accepted: r.decision === "released",
      code: r.decision === "released" ? "ACCEPTED" : (r.reasonCodes[0] ?? "KEY_RELEASE_REFUSED"),
      actor: r.enclaveAddress,
      claimsHash: null,
      message: r.reason,
      evidenceId: r.evidenceId,
    })),
  ].sort((a, b) => b.at - a.at);
  const buckets = new Map<number, Record<string, number>>();
  const totals: Record<string, number> = {};
  for (const decision of decisions) {
    const minute = Math.floor(decision.at / MINUTE_MS) * MINUTE_MS;
    const counts = buckets.get(minute) ?? {};
    counts[decision.code] = (counts[decision.code] ?? 0) + 1;
    buckets.set(minute, counts);
    totals[decision.code] = (totals[decision.code] ?? 0) + 1;
  }
  const minutes = [...buckets.entries()].sort(([a], [b]) => a - b).map(([minute, counts]) => ({ minute, counts }));
  return {
    from: minutes[0]?.minute ?? 0,
    to: minutes.at(-1)?.minute ?? 0,
    minutes,
    codes: Object.keys(totals).sort((a, b) => (a === "ACCEPTED" ? -1 : b === "ACCEPTED" ? 1 : a.localeCompare(b))),
    totals,
    decisions: (code ? decisions.filter((decision) => decision.code === code) : decisions).slice(0, rows),
    truncated: verdicts.length === MAX_DECISIONS_READ || releases.length === MAX_DECISIONS_READ,
  };
}

/**
 * readArchiveDecisions behind a cache keyed by the tables' row counts: verdicts and key releases are append-only,
 * so equal counts mean equal answers, and a page reloaded under a node's steady traffic reads two counts, not
 * 20,000 rows.
 */
export function createDecisionsReader(archive: Archive): (code?: string) => ArchiveDecisions {
  const cache = new Map<string, { counts: string; answer: ArchiveDecisions }>();
  return (code) => {
    const counts = `${archive.count("verdicts")}/${archive.count("keyReleases")}`;
    const hit = cache.get(code ?? "");
    if (hit?.counts === counts) return hit.answer;
    const answer = readArchiveDecisions(archive, code ? { code } : {});
    cache.set(code ?? "", { counts, answer });
    return answer;
  };
}
