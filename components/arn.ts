/** Reading ARNs (`arn:<partition>:<service>:<region>:<account>:<resource>`). */

/** The region a regional ARN names; throws for a global one (IAM, S3 buckets). */
export function regionOfArn(arn: string): string {
    const region = arn.split(":")[3];
    if (!region) throw new Error(`not a regional ARN: ${arn}`);
    return region;
}
