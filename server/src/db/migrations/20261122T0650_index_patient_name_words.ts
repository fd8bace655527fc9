import { sql, type Kysely } from 'kysely';

// Misspelt names at scale: the words of every name key, indexed, and a dictionary of the distinct
// words (a few thousand for a state) that trigram matching searches instead of a million keys.
// A search maps each typed word to its nearest dictionary words, then finds the patients whose
// name has one of them for every word (an intersection of index lookups).
export async function up(db: Kysely<any>): Promise<void> {
  // Names as spelt: newest first within a key, and keys in order for a prefix, read from the index.
  await sql`drop index if exists patients_name_key`.execute(db);
  await sql`create index patients_name_key_c on patients ((name_key collate "C"), created_at desc, id)`.execute(db);
  await sql`alter table patients add column name_words text[] generated always as (string_to_array(name_key, ' ')) stored`.execute(db);
  await sql`create index patients_name_words on patients using gin (name_words)`.execute(db);
  // The skeleton (the word without vowels) matches what trigrams miss in short words: rks ~ rakis.
  await sql`create table patient_name_words (word text primary key, skeleton text generated always as (regexp_replace(word, '[aeiou]', '', 'g')) stored)`.execute(db);
  await sql`create index patient_name_words_trgm on patient_name_words using gin (word gin_trgm_ops)`.execute(db);
  await sql`create index patient_name_words_skeleton on patient_name_words (skeleton)`.execute(db);
  await sql`insert into patient_name_words (word) select distinct unnest(name_words) from patients on conflict do nothing`.execute(db);
  await sql`
    create function patient_name_words_add() returns trigger language plpgsql as $$
    begin
      insert into patient_name_words (word) select unnest(new.name_words) on conflict do nothing;
      return new;
    end $$`.execute(db);
  await sql`create trigger patients_name_words after insert or update of name_key on patients for each row execute function patient_name_words_add()`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop trigger if exists patients_name_words on patients`.execute(db);
  await sql`drop function if exists patient_name_words_add()`.execute(db);
  await sql`drop table if exists patient_name_words`.execute(db);
  await sql`alter table patients drop column if exists name_words`.execute(db);
  await sql`drop index if exists patients_name_key_c`.execute(db);
  await sql`create index patients_name_key on patients (name_key text_pattern_ops)`.execute(db);
}
