/* lib/list.h and lib/bitops.h: lists, hash lists, bit helpers, bitmaps. */
#include <criterion/criterion.h>
#include "lib/bitops.h"
#include "lib/list.h"

struct item {
	int v;
	struct list_head node;
	struct hlist_node hnode;
};

Test(list, queue_order_and_deletion)
{
	LIST_HEAD(q);
	struct item it[4];
	struct item *pos, *n;
	int seen[4], k = 0;

	cr_assert(list_empty(&q));
	for (int i = 0; i < 4; i++) {
		it[i].v = i;
		list_add_tail(&it[i].node, &q);
	}
	list_del(&it[2].node);
	cr_assert(list_empty(&it[2].node));
	list_for_each_entry_safe(pos, n, &q, node)
		seen[k++] = pos->v;
	cr_assert_eq(k, 3);
	cr_assert(seen[0] == 0 && seen[1] == 1 && seen[2] == 3);
	cr_assert_eq(list_first_entry(&q, struct item, node)->v, 0);
	cr_assert_eq(list_last_entry(&q, struct item, node)->v, 3);
}

Test(list, splice_moves_everything)
{
	LIST_HEAD(a);
	LIST_HEAD(b);
	struct item it[3];
	struct item *pos;
	int k = 0;

	list_add_tail(&it[0].node, &a);
	list_add_tail(&it[1].node, &b);
	list_add_tail(&it[2].node, &b);
	it[0].v = 0, it[1].v = 1, it[2].v = 2;
	list_splice_tail_init(&b, &a);
	cr_assert(list_empty(&b));
	list_for_each_entry(pos, &a, node)
		cr_assert_eq(pos->v, k++);
	cr_assert_eq(k, 3);
}

Test(list, hlist_add_delete)
{
	struct hlist_head h = HLIST_HEAD_INIT;
	struct item it[3], *pos;
	int sum = 0;

	for (int i = 0; i < 3; i++) {
		it[i].v = i + 1;
		hlist_add_head(&it[i].hnode, &h);
	}
	hlist_del_init(&it[1].hnode);
	cr_assert(hlist_unhashed(&it[1].hnode));
	hlist_del_init(&it[1].hnode);	/* twice is harmless */
	hlist_for_each_entry(pos, &h, hnode)
		sum += pos->v;
	cr_assert_eq(sum, 4);
}

Test(bitops, helpers)
{
	cr_assert_eq(__ffs(0x10), 4);
	cr_assert_eq(__fls(0x10), 4);
	cr_assert_eq(fls64(0), 0);
	cr_assert_eq(fls64(1ULL << 63), 64);
	cr_assert(is_power_of_2(64));
	cr_assert(!is_power_of_2(0));
	cr_assert(!is_power_of_2(65));
	cr_assert_eq(roundup_pow_of_two(65), 128);
	cr_assert_eq(roundup_pow_of_two(1), 1);
	cr_assert_eq(ilog2(4096), 12);
	cr_assert_eq(GENMASK(7, 4), 0xf0UL);
	cr_assert_eq(ALIGN(13, 8), 16);
	cr_assert_eq(ALIGN_DOWN(13, 8), 8);
}

Test(bitops, bitmap_search)
{
	unsigned long map[3] = { 0, 0, 0 };

	cr_assert_eq(find_first_bit(map, 150), 150);
	set_bit(70, map);
	set_bit(149, map);
	cr_assert(test_bit(70, map));
	cr_assert_eq(find_first_bit(map, 150), 70);
	cr_assert_eq(find_next_bit(map, 150, 71), 149);
	cr_assert_eq(find_next_bit(map, 149, 71), 149);	/* size bounds it */
	clear_bit(70, map);
	cr_assert_eq(find_first_bit(map, 150), 149);
	map[0] = ~0UL;
	cr_assert_eq(find_first_zero_bit(map, 150), 64);
	map[1] = ~0UL;
	map[2] = ~0UL;
	cr_assert_eq(find_first_zero_bit(map, 150), 150);
}
