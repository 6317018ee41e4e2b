/**
 * An unbounded in-memory storage adapter for the oidc-provider baseline. The library's own
 * MemoryAdapter is an LRU of 1,000 entries: a run that pre-mints tens of thousands of codes, or
 * issues that many tokens, would see its own codes evicted and count errors that production (with
 * a real adapter) would not have. A Map keeps the baseline "in memory" without that artefact.
 */

type Payload = Record<string, unknown> & { grantId?: string; uid?: string; userCode?: string };

const entries = new Map<string, Payload>();
const grants = new Map<string, Set<string>>();

/** The adapter class oidc-provider instantiates once per model name. */
export class MapAdapter {
  constructor(private readonly model: string) {}

  private key(id: string): string {
    return `${this.model}:${id}`;
  }

  async upsert(id: string, payload: Payload): Promise<void> {
    const key = this.key(id);
    entries.set(key, payload);
    if (payload.grantId) {
      let members = grants.get(payload.grantId);
      if (!members) grants.set(payload.grantId, (members = new Set()));
      members.add(key);
    }
  }

  async find(id: string): Promise<Payload | undefined> {
    return entries.get(this.key(id));
  }

  async findByUid(uid: string): Promise<Payload | undefined> {
    for (const payload of entries.values()) if (payload.uid === uid) return payload;
    return undefined;
  }

  async findByUserCode(userCode: string): Promise<Payload | undefined> {
    for (const payload of entries.values()) if (payload.userCode === userCode) return payload;
    return undefined;
  }

  async consume(id: string): Promise<void> {
    const payload = entries.get(this.key(id));
    if (payload) payload.consumed = Math.floor(Date.now() / 1000);
  }

  async destroy(id: string): Promise<void> {
    entries.delete(this.key(id));
  }

  async revokeByGrantId(grantId: string): Promise<void> {
    for (const key of grants.get(grantId) ?? []) entries.delete(key);
    grants.delete(grantId);
  }
}
