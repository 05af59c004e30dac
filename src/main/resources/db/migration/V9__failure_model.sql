-- The failure model. A submission's state at the bank as far as this side knows it: null (no PUT
-- sent yet), SENT (a PUT may have reached the bank: only a read of the submission decides what
-- happened), ABSENT (the bank said it has no such submission: it is sent again, same id).
alter table payment_order add column submission_state varchar(16);
-- next_check_at and check_count now schedule every step tried again later (creation,
-- submission, status read), not only status reads.
-- The generation of an order's payment at the bank: a re-initiated order (new SCA after its
-- authorization became unusable, or re-submitted by an operator) gets a new x-idempotency-key.
alter table payment_order add column generation integer default 0 not null;
-- Whose SCA a payer's grant comes from: the bundle of that authorization renews its access with the
-- grant's (current) refresh token, so the two never hold different generations of one token.
alter table payer_grant add column authorization_id varchar(64);
-- When a callback claimed the bundle's code exchange (one claim per bundle: two callbacks never both
-- exchange a code). A claim that never became an authorised bundle (the process died, or the answer
-- was lost) is found by a sweep: the code is spent, so the bundle's payments start again for a new SCA.
alter table bundle add column code_exchange_at timestamp with time zone;
-- Since when the order's current run of trouble (a step tried again and again) lasts: a run longer
-- than pis.flow.attention-after-seconds is reported once more, for an operator.
alter table payment_order add column trouble_since timestamp with time zone;
