// attendance_history (migrations 0009, 0019) is derived from the registers and their marks by
// triggers; a bulk load that stored marks without those triggers rebuilds it in one pass.
export const REBUILD_ATTENDANCE_HISTORY_SQL = `
  delete from attendance_history;
  insert into attendance_history (record_id, student_id, session_id, date, period, class_id, status)
    select r.id, r.student_id, r.session_id, s.date, s.period, s.class_id, r.status
    from attendance_records r join attendance_sessions s on s.id = r.session_id;`;

