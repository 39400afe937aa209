/** An error shaped as the AWS SDK throws it: the service's error name, and a message that must never be relayed. */
export function awsError(name: string, message = `${name}: detail from AWS that might quote input`): Error {
  return Object.assign(new Error(message), { name, $fault: 'client', $metadata: { httpStatusCode: 400 } });
}
