/* The ready queues: priority order, FIFO within a priority, O(1) bookkeeping that stays
 * consistent through any sequence of operations (checked against a plain model). */
#include <kernel/sched.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

static struct sched_entry entries[64];

static int setup(void **state)
{
    sched_reset();
    memset(entries, 0, sizeof entries);
    return 0;
}

static struct sched_entry *take(void)
{
    struct sched_entry *e = sched_peek();
    if (e != NULL)
        sched_dequeue(e);
    return e;
}

static void test_empty(void **state)
{
    assert_null(sched_peek());
    assert_int_equal(sched_highest_priority(), -1);
}

static void test_highest_priority_first(void **state)
{
    uint8_t prios[] = {3, 200, 0, 255, 64, 63, 128, 127};
    for (int i = 0; i < 8; i++) {
        entries[i].priority = prios[i];
        sched_enqueue(&entries[i]);
    }
    uint8_t expect[] = {255, 200, 128, 127, 64, 63, 3, 0};
    for (int i = 0; i < 8; i++) {
        assert_int_equal(sched_highest_priority(), expect[i]);
        assert_int_equal(take()->priority, expect[i]);
    }
    assert_null(take());
}

static void test_round_robin_within_priority(void **state)
{
    for (int i = 0; i < 4; i++) {
        entries[i].priority = 10;
        sched_enqueue(&entries[i]);
    }
    for (int round = 0; round < 3; round++) {
        for (int i = 0; i < 4; i++) {
            struct sched_entry *e = take();
            assert_ptr_equal(e, &entries[i]);
            sched_enqueue(e); /* used its slice: back of the queue */
        }
    }
}

static void test_enqueue_front_keeps_turn(void **state)
{
    for (int i = 0; i < 3; i++) {
        entries[i].priority = 7;
        sched_enqueue(&entries[i]);
    }
    struct sched_entry *e = take();
    sched_enqueue_front(e);
    assert_ptr_equal(take(), &entries[0]);
}

static void test_double_enqueue_and_dequeue_are_harmless(void **state)
{
    entries[0].priority = 5;
    sched_enqueue(&entries[0]);
    sched_enqueue(&entries[0]);
    sched_enqueue_front(&entries[0]);
    assert_ptr_equal(take(), &entries[0]);
    assert_null(take());
    sched_dequeue(&entries[0]);
    assert_int_equal(sched_highest_priority(), -1);
}

static void test_dequeue_middle(void **state)
{
    for (int i = 0; i < 3; i++) {
        entries[i].priority = 1;
        sched_enqueue(&entries[i]);
    }
    sched_dequeue(&entries[1]);
    assert_ptr_equal(take(), &entries[0]);
    assert_ptr_equal(take(), &entries[2]);
    assert_null(take());
}

static void test_set_priority_moves_queued_entry(void **state)
{
    entries[0].priority = 1;
    entries[1].priority = 2;
    sched_enqueue(&entries[0]);
    sched_enqueue(&entries[1]);
    sched_set_priority(&entries[0], 3);
    assert_ptr_equal(sched_peek(), &entries[0]);
    sched_set_priority(&entries[5], 9); /* not queued: stays out */
    assert_false(entries[5].queued);
    assert_int_equal(entries[5].priority, 9);
    assert_int_equal(sched_highest_priority(), 3);
}

/* Random operations against a model: per priority, a plain array in FIFO order. */
static void test_random_against_model(void **state)
{
    static int model[256][64];
    static int model_len[256];
    memset(model_len, 0, sizeof model_len);
    srand(12345);
    for (int step = 0; step < 200000; step++) {
        int i = rand() % 64;
        struct sched_entry *e = &entries[i];
        int op = rand() % 4;
        if (op == 0 && !e->queued) {
            e->priority = (uint8_t)(rand() % 256);
            sched_enqueue(e);
            model[e->priority][model_len[e->priority]++] = i;
        } else if (op == 1 && e->queued) {
            int p = e->priority;
            int k = 0;
            while (model[p][k] != i)
                k++;
            memmove(&model[p][k], &model[p][k + 1], (size_t)(model_len[p] - k - 1) * sizeof(int));
            model_len[p]--;
            sched_dequeue(e);
        } else if (op == 2) {
            struct sched_entry *got = take();
            int p = 255;
            while (p >= 0 && model_len[p] == 0)
                p--;
            if (p < 0) {
                assert_null(got);
            } else {
                assert_ptr_equal(got, &entries[model[p][0]]);
                memmove(&model[p][0], &model[p][1], (size_t)(model_len[p] - 1) * sizeof(int));
                model_len[p]--;
            }
        } else {
            int p = 255;
            while (p >= 0 && model_len[p] == 0)
                p--;
            assert_int_equal(sched_highest_priority(), p);
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_empty, setup),
        cmocka_unit_test_setup(test_highest_priority_first, setup),
        cmocka_unit_test_setup(test_round_robin_within_priority, setup),
        cmocka_unit_test_setup(test_enqueue_front_keeps_turn, setup),
        cmocka_unit_test_setup(test_double_enqueue_and_dequeue_are_harmless, setup),
        cmocka_unit_test_setup(test_dequeue_middle, setup),
        cmocka_unit_test_setup(test_set_priority_moves_queued_entry, setup),
        cmocka_unit_test_setup(test_random_against_model, setup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
