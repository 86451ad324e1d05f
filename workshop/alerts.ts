// A team's alert evidence: the one-line CSVs the alert function writes to the processed bucket,
// weblogs/processed/YYYY/MM/DD/<window>.csv (lambda/alert.ts objectKey), one per anomalous window.
// An object there means the whole path worked: traffic, the Flink job, the anomalies stream, the
// function, and S3 (the e-mail is published just before it).

import { ListObjectsV2Command, type S3Client } from "@aws-sdk/client-s3";
import { PROCESSED_PREFIX } from "../lambda/alert";

export interface AlertObject {
  readonly key: string;
  readonly lastModified: Date;
}

const pad = (n: number) => String(n).padStart(2, "0");

/** The key prefix of a UTC day, e.g. weblogs/processed/2026/11/28/. */
export function dayPrefix(d: Date): string {
  return `${PROCESSED_PREFIX}${d.getUTCFullYear()}/${pad(d.getUTCMonth() + 1)}/${pad(d.getUTCDate())}/`;
}

/**
 * The alert CSVs in `bucket` written at or after `since` (all of them without it), newest first.
 * Keys are by the window's UTC day, so the listing starts at the day before `since` (a window that
 * began before midnight may be written after it) and skips older days unread. Pages through
 * ListObjectsV2 (1,000 keys a page). Throws the SDK's error (NoSuchBucket, AccessDenied…).
 */
export async function alertObjects(s3: S3Client, bucket: string, since?: Date): Promise<AlertObject[]> {
  const found: AlertObject[] = [];
  const startAfter = since ? dayPrefix(new Date(since.getTime() - 86_400_000)) : undefined;
  let token: string | undefined;
  do {
    const page = await s3.send(
      new ListObjectsV2Command({
        Bucket: bucket,
        Prefix: PROCESSED_PREFIX,
        ...(token ? { ContinuationToken: token } : startAfter ? { StartAfter: startAfter } : {}),
      }),
    );
    for (const o of page.Contents ?? []) {
      if (!o.Key?.endsWith(".csv") || !o.LastModified) continue;
      if (since && o.LastModified.getTime() < since.getTime()) continue;
      found.push({ key: o.Key, lastModified: o.LastModified });
    }
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  return found.sort((a, b) => b.lastModified.getTime() - a.lastModified.getTime());
}
