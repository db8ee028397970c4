/*
 * The A9N ABI, all of it: include this from the kernel, liba9n, capgen and ULMM.
 * The whole ABI is documented in the manual's chapter "Capabilities and the object model".
 */
#pragma once

#include <a9n/boot.h>
#include <a9n/debug.h>
#include <a9n/descriptor.h>
#include <a9n/error.h>
#include <a9n/message.h>
#include <a9n/notification.h>
#include <a9n/object.h>
#include <a9n/operation.h>
#include <a9n/fault.h>
#include <a9n/ipc.h>
#include <a9n/limits.h>
#include <a9n/process.h>
#include <a9n/types.h>
#include <a9n/vspace.h>
