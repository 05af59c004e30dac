-- The refresh token of the bundle's own SCA (encrypted): it renews the bundle's access token when
-- the submission comes after the access token expired (a runtime down for longer than its life).
-- The payer's grant may meanwhile hold a later SCA's token, whose access the bank ties to another
-- authorization.
alter table bundle add column refresh_token varchar(4000);
