-- Each opening of a bundle's SCA link is an attempt: its own state and nonce in its own request
-- object, its own browser binding (hash of a cookie), single-use and expiring. A callback is
-- matched to its attempt by state; an error redirect ends the attempt, not the bundle.
create table sca_attempt (
    sca_state          varchar(128)  primary key,
    bundle_id          varchar(64)   not null references bundle (bundle_id),
    nonce              varchar(128)  not null,
    browser_binding    varchar(128)  not null,
    opened_at          timestamp with time zone not null,
    expires_at         timestamp with time zone not null,
    -- null while open; COMPLETING (its code is being exchanged), AUTHORIZED, or ENDED
    outcome            varchar(16),
    reason             varchar(2000),
    ended_at           timestamp with time zone
);
create index sca_attempt_bundle_idx on sca_attempt (bundle_id);
-- A bundle waiting from before attempts existed keeps its open link as its first attempt.
insert into sca_attempt (sca_state, bundle_id, nonce, browser_binding, opened_at, expires_at)
    select sca_state, bundle_id, sca_nonce, browser_binding, updated_at, sca_deadline from bundle
    where state = 'AWAITING_SCA' and sca_state is not null and browser_binding is not null;
alter table bundle drop column browser_binding;
alter table bundle drop column sca_nonce;
alter table bundle drop column sca_state;
-- The attempt whose callback claimed the code exchange (with code_exchange_at), and the exchange's
-- answer, encrypted, stored before anything is done with it: a process that dies after storing it
-- completes the SCA from it after the restart.
alter table bundle add column exchange_attempt varchar(128);
alter table bundle add column exchange_answer varchar(20000);
alter table bundle add column exchange_answered_at timestamp with time zone;
-- Something about the bundle's SCA that only the bank's view of its authorization can settle (a
-- code exchange that failed or never completed, an error redirect): the reason, until it is read.
alter table bundle add column authorization_check varchar(2000);
-- How a waiting bundle ends once its authorization is revoked at the bank (EXPIRED, CANCELLED,
-- SCA_REJECTED, or REPLACED: its orders start again for a new SCA), and why.
alter table bundle add column withdraw_as varchar(32);
alter table bundle add column withdraw_reason varchar(2000);
