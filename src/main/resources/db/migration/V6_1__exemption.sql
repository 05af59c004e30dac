-- Exemption flow. An order taken the exemption way has no bundle (exemption payments cannot be
-- bundled) and waits in state EXEMPTION. exemption_counted_at is the sca_at of the payer grant
-- whose counters hold the order's amount (null: not counted, an own-account transfer), so a
-- fallback releases exactly what was reserved, and never from a newer SCA's counters.
alter table payment_order add column exemption_counted_at timestamp with time zone;
-- The exemption access token (jwt-bearer grant) of one order, encrypted, kept until its submission.
alter table payment_order add column access_token varchar(4000);
-- When the warning that the grant's refresh token nears its end was given (once per grant).
alter table payer_grant add column expiry_warned_at timestamp with time zone;
