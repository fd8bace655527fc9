import { sql, type Kysely } from 'kysely';

// Didi ki Rasoi (modules/kitchens, issue 15 part 7): hospital kitchens run by women's self-help groups,
// the state's rates by date, the hospital's daily count of in-patients and meals, and the monthly bills.
// Rules that must hold with several server instances live here:
//   - one running kitchen per hospital (partial unique index where ended_on is null);
//   - one row per kitchen and day (primary key); a second entry is 409, a correction names its reason;
//   - one rate per state, kind and effective day (primary key); a rate applies to days from its date;
//   - one bill per kitchen and month (primary key); its moves submitted → approved → paid are
//     conditional updates `where status = <previous>`, so two parallel approvals approve once.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table kitchens (
      id text primary key,
      facility_id text not null references facilities(id),
      facility_path text not null,
      state_lgd integer,
      group_name text not null check (length(group_name) between 1 and 200),
      group_name_hi text,
      bank_account text not null check (bank_account ~ '^[0-9]{9,18}$'),
      ifsc text not null check (ifsc ~ '^[A-Z]{4}0[A-Z0-9]{6}$'),
      started_on date not null,
      ended_on date,
      created_by text references users(id),
      created_at timestamptz not null default now()
    )`.execute(db);
  await sql`create unique index kitchens_running_facility on kitchens (facility_id) where ended_on is null`.execute(db);
  await sql`create index kitchens_path on kitchens (facility_path text_pattern_ops, id)`.execute(db);

  await sql`
    create table kitchen_members (
      kitchen_id text not null references kitchens(id),
      n integer not null,
      name text not null check (length(name) between 1 and 200),
      mobile text check (mobile ~ '^[6-9][0-9]{9}$'),
      role text,
      primary key (kitchen_id, n)
    )`.execute(db);

  await sql`
    create table kitchen_rates (
      state_lgd integer not null,
      kind text not null check (kind in ('patient_day', 'attendant_meal')),
      effective_from date not null,
      amount numeric(10, 2) not null check (amount >= 0),
      created_by text references users(id),
      created_at timestamptz not null default now(),
      primary key (state_lgd, kind, effective_from)
    )`.execute(db);

  await sql`
    create table kitchen_days (
      kitchen_id text not null references kitchens(id),
      day date not null,
      inpatients integer not null check (inpatients between 0 and 100000),
      meals_served integer not null check (meals_served between 0 and 400000),
      attendant_meals integer not null default 0 check (attendant_meals between 0 and 400000),
      correction_reason text,
      entered_by text references users(id),
      entered_at timestamptz not null default now(),
      primary key (kitchen_id, day)
    )`.execute(db);

  await sql`
    create table kitchen_bills (
      kitchen_id text not null references kitchens(id),
      month text not null check (month ~ '^[0-9]{4}-(0[1-9]|1[0-2])$'),
      status text not null check (status in ('submitted', 'approved', 'paid')),
      amount numeric(12, 2) not null,
      days integer not null,
      patient_days numeric(12, 2) not null,
      attendant_meals integer not null,
      flags jsonb not null default '[]',
      submitted_by text references users(id),
      submitted_at timestamptz not null default now(),
      approved_by text references users(id),
      approved_at timestamptz,
      paid_by text references users(id),
      paid_at timestamptz,
      payment_reference text,
      primary key (kitchen_id, month),
      check (status <> 'paid' or payment_reference is not null)
    )`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['kitchen_bills', 'kitchen_days', 'kitchen_rates', 'kitchen_members', 'kitchens']) {
    await sql`drop table if exists ${sql.table(t)}`.execute(db);
  }
}
