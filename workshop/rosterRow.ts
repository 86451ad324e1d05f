// A roster row and a roster problem: what reading the roster (roster.ts) produces and the quota
// check (quotas.ts) reads. Their own module so that neither of those two imports the other's
// internals both ways (dependency-cruiser: no-circular).

export interface RosterRow {
  /** The line of the file the row starts on (1-based; a quoted field may span several). */
  readonly line: number;
  readonly team: string;
  readonly email: string;
  readonly phone?: string;
  /** An AWS CLI profile, for events spread over several accounts. */
  readonly profile?: string;
  /** The account the row's stack must land in, as written; checked against the profile's. */
  readonly account?: string;
  /** The account the row's credentials reach (STS GetCallerIdentity), when it was asked. */
  readonly accountId?: string;
}

export interface RosterProblem {
  /** 0 for the file as a whole. */
  readonly line: number;
  readonly field: string;
  readonly problem: string;
  readonly fix: string;
}
