/*
 * The few UEFI definitions boot/efi.c needs, written from the UEFI
 * Specification 2.10 (no gnu-efi): the system table, boot services, the
 * memory map, loaded-image and file-system protocols. Section numbers below
 * are the specification's. Calls into firmware use the Microsoft x64
 * convention (§2.3.4), hence EFIAPI on every function pointer.
 */
#ifndef BOOT_EFI_H
#define BOOT_EFI_H

#include <stddef.h>
#include <stdint.h>

#define EFIAPI			__attribute__((ms_abi))

typedef uint64_t efi_status_t;
typedef void *efi_handle_t;
typedef uint16_t efi_char16_t;		/* UCS-2 */
typedef uint64_t efi_physical_addr_t;

/* Appendix D: high bit set means error. */
#define EFI_ERROR_BIT		(1ULL << 63)
#define EFI_SUCCESS		0
#define EFI_LOAD_ERROR		(EFI_ERROR_BIT | 1)
#define EFI_INVALID_PARAMETER	(EFI_ERROR_BIT | 2)
#define EFI_OUT_OF_RESOURCES	(EFI_ERROR_BIT | 9)

typedef struct {
	uint32_t data1;
	uint16_t data2;
	uint16_t data3;
	uint8_t data4[8];
} efi_guid_t;

#define EFI_GUID(a, b, c, d0, d1, d2, d3, d4, d5, d6, d7) \
	((efi_guid_t){ (a), (b), (c), { (d0), (d1), (d2), (d3), (d4), (d5), (d6), (d7) } })

/* §9.1 */
#define EFI_LOADED_IMAGE_PROTOCOL_GUID \
	EFI_GUID(0x5b1b31a1, 0x9562, 0x11d2, 0x8e, 0x3f, 0x00, 0xa0, 0xc9, 0x69, 0x72, 0x3b)
/* §13.4 */
#define EFI_SIMPLE_FILE_SYSTEM_PROTOCOL_GUID \
	EFI_GUID(0x964e5b22, 0x6459, 0x11d2, 0x8e, 0x39, 0x00, 0xa0, 0xc9, 0x69, 0x72, 0x3b)
/* §4.6.1.1 */
#define EFI_ACPI_20_TABLE_GUID \
	EFI_GUID(0x8868e871, 0xe4f1, 0x11d3, 0xbc, 0x22, 0x00, 0x80, 0xc7, 0x3c, 0x88, 0x81)
#define EFI_ACPI_10_TABLE_GUID \
	EFI_GUID(0xeb9d2d30, 0x2d88, 0x11d3, 0x9a, 0x16, 0x00, 0x90, 0x27, 0x3f, 0xc1, 0x4d)

/* §4.2 */
struct efi_table_header {
	uint64_t signature;
	uint32_t revision;
	uint32_t header_size;
	uint32_t crc32;
	uint32_t reserved;
};

/* §12.4: only OutputString is used. */
struct efi_simple_text_output_protocol {
	void *reset;
	efi_status_t (EFIAPI *output_string)(struct efi_simple_text_output_protocol *self,
					     const efi_char16_t *s);
	void *test_string, *query_mode, *set_mode, *set_attribute;
	void *clear_screen, *set_cursor_position, *enable_cursor, *mode;
};

/* §7.2: EFI_ALLOCATE_TYPE and EFI_MEMORY_TYPE */
enum efi_allocate_type {
	EFI_ALLOCATE_ANY_PAGES,
	EFI_ALLOCATE_MAX_ADDRESS,
	EFI_ALLOCATE_ADDRESS,
};

enum efi_memory_type {
	EFI_RESERVED_MEMORY_TYPE,
	EFI_LOADER_CODE,
	EFI_LOADER_DATA,
	EFI_BOOT_SERVICES_CODE,
	EFI_BOOT_SERVICES_DATA,
	EFI_RUNTIME_SERVICES_CODE,
	EFI_RUNTIME_SERVICES_DATA,
	EFI_CONVENTIONAL_MEMORY,
	EFI_UNUSABLE_MEMORY,
	EFI_ACPI_RECLAIM_MEMORY,
	EFI_ACPI_MEMORY_NVS,
	EFI_MEMORY_MAPPED_IO,
	EFI_MEMORY_MAPPED_IO_PORT_SPACE,
	EFI_PAL_CODE,
	EFI_PERSISTENT_MEMORY,
};

#define EFI_PAGE_SIZE		4096

/* §7.2 GetMemoryMap(): walk with the returned descriptor size, not sizeof. */
struct efi_memory_descriptor {
	uint32_t type;
	uint32_t pad;
	efi_physical_addr_t physical_start;
	uint64_t virtual_start;
	uint64_t number_of_pages;
	uint64_t attribute;
};

/* §4.4: only the services efi.c calls are typed; the rest keep their slot. */
struct efi_boot_services {
	struct efi_table_header hdr;
	void *raise_tpl, *restore_tpl;
	efi_status_t (EFIAPI *allocate_pages)(enum efi_allocate_type type,
					      enum efi_memory_type mem_type,
					      uint64_t pages, efi_physical_addr_t *addr);
	void *free_pages;
	efi_status_t (EFIAPI *get_memory_map)(uint64_t *map_size,
					      struct efi_memory_descriptor *map,
					      uint64_t *map_key, uint64_t *desc_size,
					      uint32_t *desc_version);
	void *allocate_pool, *free_pool;
	void *create_event, *set_timer, *wait_for_event, *signal_event;
	void *close_event, *check_event;
	void *install_protocol_interface, *reinstall_protocol_interface;
	void *uninstall_protocol_interface;
	efi_status_t (EFIAPI *handle_protocol)(efi_handle_t handle, const efi_guid_t *guid,
					       void **interface);
	void *reserved, *register_protocol_notify, *locate_handle;
	void *locate_device_path, *install_configuration_table;
	void *load_image, *start_image, *exit, *unload_image;
	efi_status_t (EFIAPI *exit_boot_services)(efi_handle_t image, uint64_t map_key);
	/* GetNextMonotonicCount onwards: unused */
};

_Static_assert(offsetof(struct efi_boot_services, allocate_pages) == 0x28, "AllocatePages");
_Static_assert(offsetof(struct efi_boot_services, handle_protocol) == 0x98, "HandleProtocol");
_Static_assert(offsetof(struct efi_boot_services, exit_boot_services) == 0xe8,
	       "ExitBootServices");

/* §4.6 */
struct efi_configuration_table {
	efi_guid_t vendor_guid;
	void *vendor_table;
};

/* §4.3 */
struct efi_system_table {
	struct efi_table_header hdr;
	const efi_char16_t *firmware_vendor;
	uint32_t firmware_revision;
	efi_handle_t console_in_handle;
	void *con_in;
	efi_handle_t console_out_handle;
	struct efi_simple_text_output_protocol *con_out;
	efi_handle_t standard_error_handle;
	void *std_err;
	void *runtime_services;
	struct efi_boot_services *boot_services;
	uint64_t number_of_table_entries;
	struct efi_configuration_table *configuration_table;
};

_Static_assert(offsetof(struct efi_system_table, con_out) == 64, "ConOut");
_Static_assert(offsetof(struct efi_system_table, boot_services) == 96, "BootServices");
_Static_assert(sizeof(struct efi_system_table) == 120, "EFI_SYSTEM_TABLE");

/* §9.1 */
struct efi_loaded_image_protocol {
	uint32_t revision;
	efi_handle_t parent_handle;
	struct efi_system_table *system_table;
	efi_handle_t device_handle;
	void *file_path;
	void *reserved;
	uint32_t load_options_size;	/* bytes */
	void *load_options;
	void *image_base;
	uint64_t image_size;
	enum efi_memory_type image_code_type, image_data_type;
	void *unload;
};

_Static_assert(offsetof(struct efi_loaded_image_protocol, load_options) == 56, "LoadOptions");

/* §13.5 */
#define EFI_FILE_MODE_READ	0x0000000000000001ULL
#define EFI_FILE_POSITION_END	0xffffffffffffffffULL	/* SetPosition(): seek to EOF */

struct efi_file_protocol {
	uint64_t revision;
	efi_status_t (EFIAPI *open)(struct efi_file_protocol *self,
				    struct efi_file_protocol **new_handle,
				    const efi_char16_t *name, uint64_t mode, uint64_t attributes);
	efi_status_t (EFIAPI *close)(struct efi_file_protocol *self);
	void *delete;
	efi_status_t (EFIAPI *read)(struct efi_file_protocol *self, uint64_t *size, void *buf);
	void *write;
	efi_status_t (EFIAPI *get_position)(struct efi_file_protocol *self, uint64_t *pos);
	efi_status_t (EFIAPI *set_position)(struct efi_file_protocol *self, uint64_t pos);
	/* GetInfo onwards: unused */
};

/* §13.4 */
struct efi_simple_file_system_protocol {
	uint64_t revision;
	efi_status_t (EFIAPI *open_volume)(struct efi_simple_file_system_protocol *self,
					   struct efi_file_protocol **root);
};

#endif
