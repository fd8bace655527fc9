import { sql, type Kysely } from 'kysely';

// The nearest search walks the latest positions in distance order and keeps the vehicles of the
// service (and kind) asked for: with the two held on the latest position row itself, a vehicle of the
// other service is passed over without a look-up of its ambulance row (a 102 search walked about 500
// rows, each looked up, to find 40). Service and kind are set when a vehicle is made and no screen
// changes them; should they change, the trigger below carries the change to the copy. The row is
// made with them at the vehicle's first fix (ambulances.positions.ts).
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table ambulance_latest_positions add column service text, add column kind text`.execute(db);
  await sql`update ambulance_latest_positions l set service = a.service, kind = a.kind from ambulances a where a.id = l.ambulance_id`.execute(db);
  await sql`alter table ambulance_latest_positions alter column service set not null, alter column kind set not null`.execute(db);
  await sql`create function ambulance_latest_follows_vehicle() returns trigger language plpgsql as $$
    begin
      update ambulance_latest_positions set service = new.service, kind = new.kind where ambulance_id = new.id;
      return null;
    end $$`.execute(db);
  await sql`create trigger ambulance_latest_follows_vehicle after update of service, kind on ambulances
    for each row when (old.service is distinct from new.service or old.kind is distinct from new.kind)
    execute function ambulance_latest_follows_vehicle()`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop trigger if exists ambulance_latest_follows_vehicle on ambulances`.execute(db);
  await sql`drop function if exists ambulance_latest_follows_vehicle()`.execute(db);
  await sql`alter table ambulance_latest_positions drop column service, drop column kind`.execute(db);
}
