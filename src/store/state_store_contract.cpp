#include "store/state_store_contract.hpp"

namespace mb::store::contract {
namespace {

using namespace std::chrono_literals;

// Migrate() is always given every migration the binary knows: the foundation's plus `extra`.
std::vector<Migration> With(std::span<const Migration> base, std::span<const Migration> extra) {
  std::vector<Migration> all(base.begin(), base.end());
  all.insert(all.end(), extra.begin(), extra.end());
  return all;
}

TEST_P(StateStoreContract, MigrationsAreAppliedOnceAndRecorded) {
  auto applied = store_->AppliedMigrations();
  ASSERT_TRUE(applied);
  EXPECT_EQ(applied->size(), GetParam().migrations.size());
  auto again = store_->Migrate(GetParam().migrations, now_);
  ASSERT_TRUE(again);
  EXPECT_TRUE(again->empty());
}

TEST_P(StateStoreContract, NewerStoreThanBinaryIsRefused) {
  static constexpr Migration kExtra[] = {
      {"contract_probe", 1, "one", "CREATE TABLE probe_one (x INTEGER)"},
      {"contract_probe", 2, "two", "CREATE TABLE probe_two (x INTEGER)"}};
  ASSERT_TRUE(store_->Migrate(With(GetParam().migrations, kExtra), now_));
  auto older = store_->Migrate(With(GetParam().migrations, std::span(kExtra, 1)), now_);
  ASSERT_FALSE(older);
  EXPECT_NE(older.error().message.find("newer Marketbridge"), std::string::npos)
      << older.error().message;
}

TEST_P(StateStoreContract, MigrationNumbersMustBeContiguous) {
  static constexpr Migration kGap[] = {
      {"contract_gap", 1, "one", "CREATE TABLE gap_one (x INTEGER)"},
      {"contract_gap", 3, "three", "CREATE TABLE gap_three (x INTEGER)"}};
  auto r = store_->Migrate(With(GetParam().migrations, kGap), now_);
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("numbered 1, 2, 3"), std::string::npos);
}

TEST_P(StateStoreContract, FailedMigrationLeavesNothingBehind) {
  static constexpr Migration kBad[] = {
      {"contract_bad", 1, "half", "CREATE TABLE bad_half (x INTEGER); THIS IS NOT SQL"}};
  auto r = store_->Migrate(With(GetParam().migrations, kBad), now_);
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("contract_bad/1"), std::string::npos);
  static constexpr Migration kGood[] = {
      {"contract_bad", 1, "half", "CREATE TABLE bad_half (x INTEGER)"}};
  EXPECT_TRUE(store_->Migrate(With(GetParam().migrations, kGood), now_))
      << "the failed migration's table must have been rolled back";
}

TEST_P(StateStoreContract, RecordingTheSameKeyTwiceKeepsOneEffect) {
  IdempotencyKey key("reservation:123-1234567-1234567:1:1");
  auto first = store_->RecordEffect("scayle.reservation", key, R"({"sku":"A"})", now_);
  ASSERT_TRUE(first);
  EXPECT_TRUE(first->created);
  EXPECT_EQ(first->effect.state, EffectState::kPending);
  auto second = store_->RecordEffect("scayle.reservation", key, R"({"sku":"B"})", now_ + 1s);
  ASSERT_TRUE(second);
  EXPECT_FALSE(second->created);
  EXPECT_EQ(second->effect.id, first->effect.id);
  EXPECT_EQ(second->effect.payload, R"({"sku":"A"})");
  EXPECT_FALSE(store_->RecordEffect("x", IdempotencyKey(""), "{}", now_));
}

TEST_P(StateStoreContract, EffectLifecycleDoneAndRetry) {
  auto a = store_->RecordEffect("amazon.confirmShipment", IdempotencyKey("a"), "{}", now_);
  auto b = store_->RecordEffect("amazon.confirmShipment", IdempotencyKey("b"), "{}", now_);
  auto other = store_->RecordEffect("scayle.reservation", IdempotencyKey("c"), "{}", now_);
  ASSERT_TRUE(a && b && other);
  auto claimed = store_->ClaimDueEffects("amazon.confirmShipment", now_, 30s, 10);
  ASSERT_TRUE(claimed);
  ASSERT_EQ(claimed->size(), 2u);
  EXPECT_EQ((*claimed)[0].attempts, 1);
  EXPECT_EQ((*claimed)[0].state, EffectState::kInFlight);
  // While leased, nobody else gets them.
  EXPECT_TRUE(store_->ClaimDueEffects("amazon.confirmShipment", now_ + 10s, 30s, 10)->empty());

  ASSERT_TRUE(store_->MarkEffectDone(a->effect.id, "204", now_ + 1s));
  ASSERT_TRUE(store_->MarkEffectFailed(b->effect.id, Error{ErrorCode::kThrottled, "429"},
                                       now_ + 60s, now_ + 1s));
  EXPECT_TRUE(store_->ClaimDueEffects("amazon.confirmShipment", now_ + 59s, 30s, 10)->empty());
  auto retry = store_->ClaimDueEffects("amazon.confirmShipment", now_ + 60s, 30s, 10);
  ASSERT_EQ(retry->size(), 1u);
  EXPECT_EQ((*retry)[0].key.value(), "b");
  EXPECT_EQ((*retry)[0].attempts, 2);
  EXPECT_EQ((*retry)[0].last_error, "throttled: 429");

  ASSERT_TRUE(store_->MarkEffectFailed(b->effect.id, Error{ErrorCode::kRejected, "400 bad carrier"},
                                       std::nullopt, now_ + 61s));
  EXPECT_TRUE(store_->ClaimDueEffects("amazon.confirmShipment", now_ + 1h, 30s, 10)->empty());
  auto found = store_->FindEffect(IdempotencyKey("b"));
  ASSERT_TRUE(found && *found);
  EXPECT_EQ((*found)->state, EffectState::kFailed);
  auto done = store_->FindEffect(IdempotencyKey("a"));
  EXPECT_EQ((*done)->result, "204");
  EXPECT_FALSE(store_->MarkEffectDone(999999, "", now_));
}

TEST_P(StateStoreContract, ExpiredLeaseIsTakenOver) {
  ASSERT_TRUE(store_->RecordEffect("k", IdempotencyKey("lease"), "{}", now_));
  ASSERT_EQ(store_->ClaimDueEffects("k", now_, 30s, 10)->size(), 1u);
  auto taken = store_->ClaimDueEffects("k", now_ + 31s, 30s, 10);
  ASSERT_EQ(taken->size(), 1u);
  EXPECT_EQ((*taken)[0].attempts, 2);
}

// The outbox's promise: an effect recorded but not marked done when the process dies is attempted
// again exactly once after the restart, and never again once done.
TEST_P(StateStoreContract, CrashAfterAttemptIsReattemptedExactlyOnceAfterRestart) {
  ASSERT_TRUE(store_->RecordEffect("scayle.reservation", IdempotencyKey("crash"), "{}", now_));
  ASSERT_EQ(store_->ClaimDueEffects("scayle.reservation", now_, 5min, 10)->size(), 1u);
  // ... the request was sent, then the process died before MarkEffectDone.
  Restart();
  EXPECT_TRUE(store_->ClaimDueEffects("scayle.reservation", now_ + 1s, 5min, 10)->empty())
      << "still leased by the dead process until released";
  ASSERT_EQ(*store_->ReleaseAbandonedClaims(now_ + 1s), 1);
  auto again = store_->ClaimDueEffects("scayle.reservation", now_ + 1s, 5min, 10);
  ASSERT_EQ(again->size(), 1u);
  EXPECT_EQ((*again)[0].attempts, 2);
  ASSERT_TRUE(store_->MarkEffectDone((*again)[0].id, "ok", now_ + 2s));
  Restart();
  EXPECT_EQ(*store_->ReleaseAbandonedClaims(now_ + 3s), 0);
  EXPECT_TRUE(store_->ClaimDueEffects("scayle.reservation", now_ + 1h, 5min, 10)->empty());
  auto rerecord =
      store_->RecordEffect("scayle.reservation", IdempotencyKey("crash"), "{}", now_ + 1h);
  EXPECT_FALSE(rerecord->created);
  EXPECT_EQ(rerecord->effect.state, EffectState::kDone);
}

TEST_P(StateStoreContract, ExceptionsAreDeduplicatedAndResolved) {
  auto first =
      store_->UpsertException(ExceptionType::kGhostOrder, "123-1", "SKU X unmapped", "{}", now_);
  ASSERT_TRUE(first);
  EXPECT_TRUE(first->newly_raised);
  auto again = store_->UpsertException(ExceptionType::kGhostOrder, "123-1", "SKU X still unmapped",
                                       "{\"n\":2}", now_ + 5min);
  ASSERT_TRUE(again);
  EXPECT_FALSE(again->newly_raised);
  EXPECT_EQ(again->exception.id, first->exception.id);
  EXPECT_EQ(again->exception.occurrences, 2);
  EXPECT_EQ(again->exception.first_seen, now_);
  EXPECT_EQ(again->exception.last_seen, now_ + 5min);
  EXPECT_EQ(again->exception.message, "SKU X still unmapped");
  ASSERT_TRUE(store_->UpsertException(ExceptionType::kUnmappedSku, "123-1", "other type, same key",
                                      "{}", now_));
  ASSERT_TRUE(store_->UpsertException(ExceptionType::kSettlementUnbalanced, "S-9", "off by 0.01",
                                      "{}", now_ + 1s));

  EXPECT_EQ(store_->ListExceptions({})->size(), 3u);
  ExceptionFilter ops;
  ops.team = Team::kOps;
  auto ops_list = store_->ListExceptions(ops);
  ASSERT_EQ(ops_list->size(), 1u);
  EXPECT_EQ((*ops_list)[0].type, ExceptionType::kGhostOrder);

  EXPECT_TRUE(*store_->ResolveException(ExceptionType::kGhostOrder, "123-1", "order created",
                                        now_ + 10min));
  EXPECT_FALSE(
      *store_->ResolveException(ExceptionType::kGhostOrder, "123-1", "again", now_ + 11min));
  ExceptionFilter open;
  open.open_only = true;
  EXPECT_EQ(store_->ListExceptions(open)->size(), 2u);

  auto reopened =
      store_->UpsertException(ExceptionType::kGhostOrder, "123-1", "back", "{}", now_ + 1h);
  EXPECT_TRUE(reopened->newly_raised);
  EXPECT_NE(reopened->exception.id, first->exception.id);
  EXPECT_EQ(store_->ListExceptions({})->size(), 4u);
}

TEST_P(StateStoreContract, CursorsPersistAcrossRestart) {
  EXPECT_FALSE(store_->GetCursor("orders.lastUpdatedAfter")->has_value());
  ASSERT_TRUE(store_->SetCursor("orders.lastUpdatedAfter", "2026-11-28T11:58:00Z", now_));
  ASSERT_TRUE(store_->SetCursor("orders.lastUpdatedAfter", "2026-11-28T11:59:00Z", now_));
  Restart();
  EXPECT_EQ(**store_->GetCursor("orders.lastUpdatedAfter"), "2026-11-28T11:59:00Z");
}

}  // namespace
}  // namespace mb::store::contract
