// A small in-memory S3 with the conditional-write semantics AWS documents, for what moto cannot
// show: moto 5.2.5 answers `If-None-Match: *` with 412 but checks and writes in two steps without
// a lock (moto/s3/responses.py put_object), so two racing writes can both succeed there, and it
// never answers 409. Documented (S3 User Guide, "How to prevent object overwrites with conditional
// writes"; PutObject API reference):
//   - If-None-Match: * on an existing key: 412 PreconditionFailed, object unchanged;
//   - If-Match: <etag> with another ETag: 412 PreconditionFailed; with no object: 404 NoSuchKey;
//   - concurrent conditional writes on one key: the loser may get 409 ConditionalRequestConflict,
//     "retry".
// Only PutObject and GetObject are served; anything else throws, so a test cannot pass by
// accident through an operation the fake does not know.

import { createHash } from "node:crypto";
import { GetObjectCommand, PutObjectCommand, S3ServiceException, type S3Client } from "@aws-sdk/client-s3";

const fail = (name: string, httpStatusCode: number, message: string) =>
  new S3ServiceException({ name, $fault: "client", $metadata: { httpStatusCode }, message });

export interface ConditionalS3 {
  readonly client: S3Client;
  readonly objects: Map<string, { body: string; etag: string }>;
  /** The next n conditional writes answer 409 ConditionalRequestConflict, as a lost race does. */
  conflictNext(n: number): void;
  conflicts: number;
}

/** @param latencyMs delay before each call is served, so that concurrent callers interleave. */
export function conditionalS3(latencyMs = 5): ConditionalS3 {
  const objects = new Map<string, { body: string; etag: string }>();
  let conflictsLeft = 0;
  const fake: ConditionalS3 = {
    objects,
    conflicts: 0,
    conflictNext: (n) => (conflictsLeft = n),
    client: {
      send: async (command: unknown) => {
        await new Promise((r) => setTimeout(r, latencyMs * Math.random()));
        // From here to the write nothing awaits: one call's check and write are atomic, as in S3.
        if (command instanceof PutObjectCommand) {
          const { Key, Body, IfNoneMatch, IfMatch } = command.input;
          const key = Key!;
          const existing = objects.get(key);
          if ((IfNoneMatch || IfMatch) && conflictsLeft > 0) {
            conflictsLeft--;
            fake.conflicts++;
            throw fail("ConditionalRequestConflict", 409, "A conflicting operation occurred. Retry the request.");
          }
          if (IfNoneMatch === "*" && existing)
            throw fail("PreconditionFailed", 412, "At least one of the pre-conditions you specified did not hold");
          if (IfMatch !== undefined) {
            if (!existing) throw fail("NoSuchKey", 404, "The specified key does not exist.");
            if (existing.etag !== IfMatch)
              throw fail("PreconditionFailed", 412, "At least one of the pre-conditions you specified did not hold");
          }
          if (typeof Body !== "string") throw new Error("conditionalS3 stores string bodies only (the alert writes JSON and CSV text)");
          const body = Body;
          const etag = `"${createHash("md5").update(body).update(String(Math.random())).digest("hex")}"`;
          objects.set(key, { body, etag });
          return { ETag: etag, $metadata: { httpStatusCode: 200 } };
        }
        if (command instanceof GetObjectCommand) {
          const o = objects.get(command.input.Key!);
          if (!o) throw fail("NoSuchKey", 404, "The specified key does not exist.");
          return { ETag: o.etag, Body: { transformToString: () => Promise.resolve(o.body) }, $metadata: { httpStatusCode: 200 } };
        }
        throw new Error(`conditionalS3 serves PutObject and GetObject only, not ${(command as object).constructor.name}`);
      },
    } as unknown as S3Client,
  };
  return fake;
}
