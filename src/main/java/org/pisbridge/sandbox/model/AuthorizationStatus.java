package org.pisbridge.sandbox.model;

/** Authorization statuses as OP's PSD2 PIS API v1.1 publishes them. */
public enum AuthorizationStatus {
    Unauthorized, Authorizing, Authorized, Rejected, Completed, PartiallyRevoked, Revoked
}
