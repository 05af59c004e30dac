package org.pisbridge.sandbox;

/**
 * Valid forms of an ID token that OP's tokens do not take but OIDC allows, so tests can prove the TPP
 * accepts them. Unlike an {@link IdTokenFault}, a token of any shape must be accepted.
 */
public enum IdTokenShape {
    /** {@code "aud": ["<client id>"]}: a JSON array with our client id as its only element (OIDC Core 2) */
    AUD_AS_ONE_ELEMENT_ARRAY
}
