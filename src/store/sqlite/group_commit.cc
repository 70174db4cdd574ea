#include "store/sqlite/group_commit.h"

#include <algorithm>
#include <exception>

namespace truthbyte::sqlite {

Status GroupCommit::Write(const std::function<Status()>& body) {
  PendingWrite mine(&body);
  std::unique_lock lock(queue_mu_);
  queue_.push_back(&mine);
  // Wait until a leader ran this write, or this caller is to lead: each
  // waiter has its own condition, so a batch wakes only its own writers
  // and the next leader.
  mine.wake.wait(lock, [&] { return mine.done || (!leading_ && queue_.front() == &mine); });
  if (mine.done) return mine.status;
  leading_ = true;
  std::vector<PendingWrite*> batch;
  const std::size_t n = std::min(queue_.size(), kMaxBatch);
  batch.assign(queue_.begin(), queue_.begin() + static_cast<std::ptrdiff_t>(n));
  queue_.erase(queue_.begin(), queue_.begin() + static_cast<std::ptrdiff_t>(n));
  lock.unlock();
  RunBatch(batch);
  lock.lock();
  leading_ = false;
  for (PendingWrite* w : batch) {
    w->done = true;
    if (w != &mine) w->wake.notify_one();
  }
  // Whoever queued meanwhile leads the next batch.
  if (!queue_.empty()) queue_.front()->wake.notify_one();
  return mine.status;
}

// A body that throws (it should not) fails alone instead of leaving the
// batch, and every later writer, hanging.
Status GroupCommit::RunBody(const PendingWrite& w) {
  try {
    return (*w.body)();
  } catch (const std::exception& e) {
    return Status::Internal(std::string("a write failed: ") + e.what());
  }
}

// Runs a batch of writes in one transaction; sets each one's status.
void GroupCommit::RunBatch(const std::vector<PendingWrite*>& batch) {
  commits_.fetch_add(1, std::memory_order_relaxed);
  writes_.fetch_add(batch.size(), std::memory_order_relaxed);
  std::lock_guard lock(mu_);
  auto fail_all = [&](const Status& s) {
    for (PendingWrite* w : batch) w->status = s;
  };
  if (Status s = exec_("BEGIN IMMEDIATE"); !s.ok()) return fail_all(s);
  if (batch.size() == 1) {
    // Alone: the transaction is the savepoint.
    PendingWrite* w = batch.front();
    w->status = RunBody(*w);
    if (w->status.ok()) w->status = exec_("COMMIT");
    if (!w->status.ok() && !sqlite3_get_autocommit(writer_.db)) exec_("ROLLBACK");
    return;
  }
  for (PendingWrite* w : batch) {
    if (Status s = writer_.Check(Query(writer_.Prepare("SAVEPOINT tb_write")).Step(), "open a savepoint"); !s.ok()) {
      w->status = s;
      continue;
    }
    w->status = RunBody(*w);
    if (sqlite3_get_autocommit(writer_.db)) {
      // SQLite rolled the whole transaction back (an I/O error, a full
      // disk): every write of the batch is lost, not only this one.
      const Status lost = w->status.ok() ? Status::IoError("the write transaction was rolled back") : w->status;
      return fail_all(lost);
    }
    if (!w->status.ok()) Query(writer_.Prepare("ROLLBACK TO tb_write")).Step();
    Query(writer_.Prepare("RELEASE tb_write")).Step();
  }
  if (Status s = exec_("COMMIT"); !s.ok()) {
    if (!sqlite3_get_autocommit(writer_.db)) exec_("ROLLBACK");
    for (PendingWrite* w : batch)
      if (w->status.ok()) w->status = s;
  }
}

}  // namespace truthbyte::sqlite
