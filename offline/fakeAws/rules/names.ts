// AWS's naming rules for every resource type the lab creates. Exported one by one: the naming test
// checks every team's names with these same rules.

import { nameRule, type NameRule } from "./common";

export const NAMES = {
  // https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html (general purpose buckets)
  s3Bucket: nameRule("S3 bucket", 3, 63, /^[a-z0-9][a-z0-9.-]*[a-z0-9]$/, (n) => {
    const p: string[] = [];
    if (n.includes("..")) p.push(`S3 bucket name "${n}" has two adjacent periods`);
    if (/^\d+\.\d+\.\d+\.\d+$/.test(n)) p.push(`S3 bucket name "${n}" is formatted as an IP address`);
    if (/^(xn--|sthree-|amzn-s3-demo-)/.test(n)) p.push(`S3 bucket name "${n}" starts with a reserved prefix`);
    if (/(-s3alias|--ol-s3|\.mrap|--x-s3|--table-s3)$/.test(n)) p.push(`S3 bucket name "${n}" ends with a reserved suffix`);
    return p;
  }),
  // https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateRole.html (RoleName)
  iamRole: nameRule("IAM role", 1, 64, /^[\w+=,.@-]+$/),
  // https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateUser.html (UserName)
  iamUser: nameRule("IAM user", 1, 64, /^[\w+=,.@-]+$/),
  // https://docs.aws.amazon.com/IAM/latest/APIReference/API_PutRolePolicy.html (PolicyName)
  iamPolicy: nameRule("IAM policy", 1, 128, /^[\w+=,.@-]+$/),
  // https://docs.aws.amazon.com/kinesis/latest/APIReference/API_CreateStream.html (StreamName)
  kinesisStream: nameRule("Kinesis stream", 1, 128, /^[a-zA-Z0-9_.-]+$/),
  // https://docs.aws.amazon.com/firehose/latest/APIReference/API_CreateDeliveryStream.html (DeliveryStreamName)
  firehose: nameRule("Firehose stream", 1, 64, /^[a-zA-Z0-9_.-]+$/),
  // https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_CreateUserPool.html (PoolName)
  userPool: nameRule("Cognito user pool", 1, 128, /^[\w\s+=,.@-]+$/),
  // https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_CreateUserPoolClient.html (ClientName)
  userPoolClient: nameRule("Cognito app client", 1, 128, /^[\w\s+=,.@-]+$/),
  // https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_AdminCreateUser.html (Username)
  cognitoUser: nameRule("Cognito user", 1, 128, /^[\p{L}\p{M}\p{S}\p{N}\p{P}]+$/u),
  // https://docs.aws.amazon.com/cognitoidentity/latest/APIReference/API_CreateIdentityPool.html (IdentityPoolName)
  identityPool: nameRule("Cognito identity pool", 1, 128, /^[\w\s+=,.@-]+$/),
  // https://docs.aws.amazon.com/sns/latest/api/API_CreateTopic.html (Name)
  snsTopic: nameRule("SNS topic", 1, 256, /^[A-Za-z0-9_-]+(\.fifo)?$/),
  // https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_CreateLogGroup.html (logGroupName)
  logGroup: nameRule("log group", 1, 512, /^[.\-_/#A-Za-z0-9]+$/),
  // https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_CreateLogStream.html (logStreamName)
  logStream: nameRule("log stream", 1, 512, /^[^:*]+$/),
  // https://docs.aws.amazon.com/managed-flink/latest/apiv2/API_CreateApplication.html (ApplicationName)
  flinkApplication: nameRule("Managed Flink application", 1, 128, /^[a-zA-Z0-9_.-]+$/),
  // https://docs.aws.amazon.com/lambda/latest/api/API_CreateFunction.html (FunctionName, as a name)
  lambdaFunction: nameRule("Lambda function", 1, 64, /^[a-zA-Z0-9_-]+$/),
  // https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_CreateQueue.html (QueueName)
  sqsQueue: nameRule("SQS queue", 1, 80, /^[a-zA-Z0-9_-]+(\.fifo)?$/),
  // https://docs.aws.amazon.com/scheduler/latest/APIReference/API_CreateSchedule.html (Name)
  schedule: nameRule("Scheduler schedule", 1, 64, /^[0-9a-zA-Z_.-]+$/),
  // https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutDashboard.html (DashboardName)
  dashboard: nameRule("CloudWatch dashboard", 1, 255, /^[A-Za-z0-9_-]+$/),
} satisfies Record<string, NameRule>;
