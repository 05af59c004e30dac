package org.pisbridge.sandbox;

/**
 * Ways the sandbox can spoil the next ID token it issues, so tests can prove the TPP refuses each. Forms a
 * TPP must accept are {@link IdTokenShape}s, not faults.
 */
public enum IdTokenFault {
    WRONG_SIGNATURE, ALG_NONE, UNKNOWN_KID,
    WRONG_S_HASH, MISSING_S_HASH, WRONG_C_HASH, MISSING_C_HASH,
    WRONG_AT_HASH, MISSING_AT_HASH, WRONG_RT_HASH, MISSING_RT_HASH,
    WRONG_NONCE, WRONG_AUD, WRONG_ISS, WRONG_ACR, WRONG_AUTHORIZATION_ID, EXPIRED,
    /** aud is an array naming our client and an audience it does not know, without azp */
    AUD_WITH_UNKNOWN,
    /** iat a week old while exp is still ahead */
    IAT_A_WEEK_OLD,
    /** no sub */
    NO_SUB,
    /**
     * signed with the published key of the algorithm the bank does not sign ID tokens with: ES256 with its
     * EC key where the bank signs RS256 (OP), RS256 with its RSA key where it signs ES256
     */
    OTHER_ALGORITHM
}
