// Dataverse answers every failure as {"error":{"code":"0x...","message":"..."}}; clients such as
// dynamics-web-api surface `code` and `message`. Codes are Dataverse's web service error codes
// (https://learn.microsoft.com/power-apps/developer/data-platform/reference/web-service-error-codes)
// and the ones "Troubleshoot Dataverse Web API client errors" shows: resourceNotFound,
// odataInvalidProperty and payloadError. cascadeRestricted is our best match and not verified
// against a live environment; the emulator's own refusals (notImplemented) share Dataverse's
// "not supported" code — callers should branch on the HTTP status for those.
export const ErrorCodes = {
  objectDoesNotExist: '0x80040217',
  duplicateRecord: '0x80040237',
  concurrencyVersionMismatch: '0x80060882',
  privilegeDenied: '0x80040220',
  accessCheckFailed: '0x80048306',
  invalidArgument: '0x80040203',
  validationFailed: '0x80044331',
  valueOutOfRange: '0x8004431a',
  isvAborted: '0x80040265',
  notAuthenticated: '0x8005f101',
  requestLimitExceeded: '0x80072322',
  unexpected: '0x80040216',
  cascadeRestricted: '0x80040226',
  notImplemented: '0x8006088a',
  /** 404 "Resource not found for the segment 'x'." — also used for names in the wrong case */
  resourceNotFound: '0x8006088a',
  /** OData's own validation errors carry no Dataverse code */
  odataInvalidProperty: '0x0',
  /** "Error identified in Payload provided by the user for Entity" (a bad @odata.bind name) */
  payloadError: '0x80048d19',
  aggregateQueryRecordLimit: '0x8004E023',
  tooManyLinkEntities: '0x8004430D',
  attributePrivilegeCreateIsMissing: '0x8004F502',
  attributePermissionUpdateIsMissingDuringUpdate: '0x8004F507',
  attributePermissionReadIsMissing: '0x8004F504',
  concurrentRequestsExceeded: '0x80072326',
} as const;

export class DataverseError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }

  toBody(): { error: { code: string; message: string } } {
    return { error: { code: this.code, message: this.message } };
  }
}

export const notFound = (logicalName: string, id: string): DataverseError =>
  new DataverseError(404, ErrorCodes.objectDoesNotExist, `${logicalName} With Id = ${id} Does Not Exist`);

export const notFoundByKey = (logicalName: string, key: string): DataverseError =>
  new DataverseError(404, ErrorCodes.objectDoesNotExist, `A record with the specified key values does not exist in ${logicalName} entity (${key})`);

export const duplicate = (logicalName: string): DataverseError =>
  new DataverseError(412, ErrorCodes.duplicateRecord, `A record with matching key values already exists. (${logicalName})`);

export const versionMismatch = (): DataverseError =>
  new DataverseError(412, ErrorCodes.concurrencyVersionMismatch, "The version of the existing record doesn't match the RowVersion property provided.");

export const badRequest = (message: string, code: string = ErrorCodes.invalidArgument): DataverseError =>
  new DataverseError(400, code, message);

export const unsupported = (what: string): DataverseError =>
  new DataverseError(400, ErrorCodes.notImplemented, `The Dataverse emulator does not support ${what}.`);

export const unknownProperty = (name: string, logicalName: string): DataverseError =>
  new DataverseError(
    400,
    ErrorCodes.odataInvalidProperty,
    `Could not find a property named '${name}' on type 'Microsoft.Dynamics.CRM.${logicalName}'.`,
  );

export const segmentNotFound = (segment: string): DataverseError =>
  new DataverseError(404, ErrorCodes.resourceNotFound, `Resource not found for the segment '${segment}'.`);

/** Dataverse's wrapper around OData payload errors, e.g. a navigation property name that does not exist. */
export const payloadError = (entitySet: string, inner: string): DataverseError =>
  new DataverseError(
    400,
    ErrorCodes.payloadError,
    `Error identified in Payload provided by the user for Entity :'${entitySet}', For more information on this error please follow this help link https://go.microsoft.com/fwlink/?linkid=2195293  ---->  InnerException : Microsoft.OData.ODataException: ${inner}`,
  );
