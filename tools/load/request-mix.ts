import { Prng } from '../chaos/prng';

/** One HTTP request of the load, with the name it is reported under. */
export interface PlannedRequest {
  name: string;
  method: 'GET' | 'POST' | 'PATCH';
  path: string;
  body?: unknown;
  /** Read-your-writes: the simulated user's session. */
  sessionKey: string;
}

const CITIES = ['Lisbon', 'Porto', 'Madrid', 'Barcelona', 'Berlin', 'Hamburg', 'Paris', 'Lyon', 'Milan', 'Rome', 'Vienna', 'Prague'];
const STATUSES = ['new', 'contacted', 'qualified'];
const SOURCES = ['website', 'referral', 'portal', 'open_house', 'social'];
const TYPES = ['apartment', 'house', 'condo', 'land', 'commercial'];
const NAME_PARTS = ['ana', 'silva', 'mia', 'costa', 'hugo', 'novak', 'rosa'];
// Simulated agents using the app: each has a session, so its reads see its own writes.
const USERS = 40;

/**
 * What a CRM's users do, as weighted requests: mostly reads (a lead by id with
 * a hot subset, searches, a phone lookup, the agents' statistics), some writes.
 * Seeded, so a run can be replayed.
 */
export class RequestMix {
  private readonly prng: Prng;
  private created = 0;

  constructor(
    seed: number,
    private readonly maxLeadId: number,
    private readonly writeRatio: number,
  ) {
    this.prng = new Prng(seed);
  }

  next(): PlannedRequest {
    const sessionKey = `load-user-${this.prng.below(USERS)}`;
    return { ...(this.prng.next() < this.writeRatio ? this.write() : this.read()), sessionKey };
  }

  private read(): Omit<PlannedRequest, 'sessionKey'> {
    const roll = this.prng.next();
    if (roll < 0.4) return { name: 'GET /leads/:id', method: 'GET', path: `/leads/${this.leadId()}` };
    if (roll < 0.65) {
      const page = 1 + this.prng.below(3);
      return { name: 'GET /leads (city+status)', method: 'GET', path: `/leads?city=${this.prng.pick(CITIES)}&status=${this.prng.pick(STATUSES)}&page=${page}` };
    }
    if (roll < 0.75) return { name: 'GET /leads (name)', method: 'GET', path: `/leads?q=${this.prng.pick(NAME_PARTS)}&pageSize=10` };
    if (roll < 0.8) return { name: 'GET /leads (phone)', method: 'GET', path: `/leads?phone=${encodeURIComponent(this.phone())}` };
    if (roll < 0.88) return { name: 'GET /leads/:id/activities', method: 'GET', path: `/leads/${this.leadId()}/activities?limit=10` };
    if (roll < 0.95) return { name: 'GET /agents/stats', method: 'GET', path: '/agents/stats?limit=10' };
    return { name: 'GET /agents/:id/stats', method: 'GET', path: `/agents/${1 + this.prng.below(40)}/stats` };
  }

  private write(): Omit<PlannedRequest, 'sessionKey'> {
    const roll = this.prng.next();
    if (roll < 0.35) return { name: 'POST /leads', method: 'POST', path: '/leads', body: this.newLead() };
    if (roll < 0.65) return { name: 'PATCH /leads/:id', method: 'PATCH', path: `/leads/${this.leadId()}`, body: { status: this.prng.pick(STATUSES), notes: 'Called back' } };
    if (roll < 0.9) return { name: 'POST /leads/:id/activities', method: 'POST', path: `/leads/${this.leadId()}/activities`, body: { kind: this.prng.pick(['call', 'email', 'viewing', 'note']) } };
    if (roll < 0.97) return { name: 'POST /leads/:id/convert', method: 'POST', path: `/leads/${this.leadId()}/convert`, body: { amountCents: 10_000_000 + this.prng.below(90_000_000) } };
    return { name: 'POST /leads/import', method: 'POST', path: '/leads/import', body: { leads: Array.from({ length: 20 }, () => this.newLead()) } };
  }

  /** 80% of lookups go to the newest fifth of the leads: a hot set the cache can hold. */
  private leadId(): number {
    const hotStart = Math.max(1, Math.floor(this.maxLeadId * 0.8));
    return this.prng.next() < 0.8 ? hotStart + this.prng.below(this.maxLeadId - hotStart + 1) : 1 + this.prng.below(this.maxLeadId);
  }

  /** A phone number in the seed's format, from a seeded lead. */
  private phone(): string {
    const g = 1 + this.prng.below(this.maxLeadId);
    return `+351 9${String((g * 104729) % 100_000_000).padStart(8, '0')}`;
  }

  private newLead(): Record<string, unknown> {
    const n = ++this.created;
    return {
      fullName: `Load ${this.prng.pick(NAME_PARTS)} ${n}`,
      // Unique per run and request, so creating never collides with the seed or an earlier run.
      email: `load-${Date.now().toString(36)}-${n}-${this.prng.below(1e9)}@load.example`,
      source: this.prng.pick(SOURCES),
      city: this.prng.pick(CITIES),
      propertyType: this.prng.pick(TYPES),
      budgetCents: 5_000_000 + this.prng.below(100_000_000),
      bedrooms: this.prng.below(6),
    };
  }
}
