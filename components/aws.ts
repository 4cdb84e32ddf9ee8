/**
 * The parts of the AWS provider the component uses, each from its own
 * module of `@pulumi/aws`. An import of the package's root makes the
 * TypeScript compiler read the declarations of every AWS service (3,071
 * files for a program that makes one bucket and one function, against 649
 * with these modules), which every type-check of a program using the
 * component pays: `pulumi up` compiling index.ts, `npm run build`. At run
 * time the root loads its services lazily, so nothing changes there.
 * A service the component starts to use is added here.
 */
export * as cloudfront from "@pulumi/aws/cloudfront";
export * as cloudwatch from "@pulumi/aws/cloudwatch";
export * as dynamodb from "@pulumi/aws/dynamodb";
export * as iam from "@pulumi/aws/iam";
export * as lambda from "@pulumi/aws/lambda";
export * as s3 from "@pulumi/aws/s3";
export * as sns from "@pulumi/aws/sns";
export * as sqs from "@pulumi/aws/sqs";
export * as types from "@pulumi/aws/types";
export { Provider } from "@pulumi/aws/provider";
export { getCallerIdentityOutput } from "@pulumi/aws/getCallerIdentity";
export { getPartitionOutput } from "@pulumi/aws/getPartition";
export { getRegionOutput } from "@pulumi/aws/getRegion";
